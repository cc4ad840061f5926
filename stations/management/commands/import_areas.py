from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stations.area_import import AreaImportError, import_areas


class Command(BaseCommand):
    help = (
        "Import administrative areas from a GeoJSON FeatureCollection (properties adcode, name, "
        "name_en, level, parent_adcode). Upserts by adcode; repairs or rejects invalid rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--strict", action="store_true", help="write nothing if any row is rejected"
        )

    def handle(self, *args, file, dry_run, strict, **options):
        try:
            report = import_areas(file, commit=not dry_run, strict=strict)
        except AreaImportError as exc:
            raise CommandError(str(exc)) from None
        for problem in report.repaired:
            self.stdout.write(self.style.WARNING(_("repaired %(problem)s") % {"problem": problem}))
        for problem in report.rejected:
            self.stdout.write(self.style.ERROR(_("rejected %(problem)s") % {"problem": problem}))
        self.stdout.write(report.summary())
        if strict and report.rejected:
            raise CommandError(
                _("%(count)s rows rejected; nothing was written (--strict)")
                % {"count": len(report.rejected)}
            )
