from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = "驿站与辖区 Facilities and areas"
