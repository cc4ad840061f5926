from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open311.models import ApiKey
from stations.models import Union


class Command(BaseCommand):
    help = (
        "Issue an API key and print it once (only its hash is kept). Without --union the key may "
        "submit Open311 requests; with it, it also reads that union's jurisdiction (Open311 and, "
        "as `Authorization: Token KEY`, the staff API)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="who the key is for, e.g. the provincial platform")
        parser.add_argument("--union", metavar="ADCODE", help="adcode of the union's area")

    def handle(self, *args, name: str, union: str | None, **options):
        owner = None
        if union:
            owner = Union.objects.select_related("area").filter(area__adcode=union).first()
            if owner is None:
                raise CommandError(_("no union for the area %(code)s") % {"code": union})
        key, raw = ApiKey.issue(name, owner)
        self.stderr.write(
            _("API key %(prefix)s… for %(name)s issued; it is shown only this once:")
            % {"prefix": key.prefix, "name": name}
        )
        # The key alone on stdout, so scripts can capture it.
        self.stdout.write(raw)
