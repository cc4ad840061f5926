from django.core.management.base import BaseCommand, CommandError

from outreach.enterprise_import import EnterpriseImportError, import_enterprises


class Command(BaseCommand):
    help = "Import enterprises from CSV (see outreach/enterprise_import.py for the columns)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a UTF-8 .csv file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, file, dry_run, **options):
        try:
            report = import_enterprises(file, commit=not dry_run)
        except EnterpriseImportError as exc:
            raise CommandError(str(exc)) from None
        for problem in report.rejected:
            self.stdout.write(f"  rejected {problem}")
        self.stdout.write(report.summary())
