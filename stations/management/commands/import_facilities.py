from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stations.coords import CRS_CHOICES
from stations.facility_import import FacilityImportError, import_facilities


class Command(BaseCommand):
    help = (
        "Import facilities from CSV or GeoJSON (columns in docs/facility-import.md), upserting by "
        "external_id. Bad rows are reported with their line and reason; good rows are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .geojson or .json file")
        parser.add_argument(
            "--crs", choices=CRS_CHOICES, default="wgs84",
            help="coordinate system of the file's points (default wgs84)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, file, crs, dry_run, **options):
        try:
            report = import_facilities(file, crs=crs, commit=not dry_run)
        except FacilityImportError as exc:
            raise CommandError(str(exc)) from None
        for problem in report.rejected:
            self.stdout.write(self.style.ERROR(_("rejected %(problem)s") % {"problem": problem}))
        self.stdout.write(report.summary())
        if report.rejected:
            # Non-zero, so a script or a timer that runs the import notices the bad rows.
            raise CommandError(
                f"{len(report.rejected)} rows were rejected (listed above); the others were "
                + ("written" if report.committed else "checked")
            )
