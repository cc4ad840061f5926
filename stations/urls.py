from django.urls import path

from stations import area_views

app_name = "stations"

urlpatterns = [
    path("areas/", area_views.AreaLookupView.as_view(), name="area-lookup"),
    path("areas/<str:adcode>/", area_views.AreaDetailView.as_view(), name="area-detail"),
]
