from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "open311"
    verbose_name = _("Open311 and API keys")

    def ready(self) -> None:
        from open311 import schema  # noqa: F401  (registers the key's OpenAPI security scheme)
