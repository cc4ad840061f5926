from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        # Intake learns about employers through this hook only (cases.employers).
        from cases.employers import register_resolver
        from outreach.employers import resolve_employer

        register_resolver(resolve_employer)
