from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notify.worker import Worker, run_once


class Command(BaseCommand):
    help = "Deliver webhooks and e-mail from the case events, sweep deadlines, send digests."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, **options):
        if options["once"]:
            counts = run_once()
            self.stdout.write(
                _("%(events)d events dispatched, %(sent)d deliveries sent, %(overdue)d overdue, "
                  "%(digests)d digests") % counts
            )
            return
        Worker().run()
