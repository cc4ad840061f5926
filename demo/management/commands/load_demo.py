from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.load import DemoInUse, load_demo, remove_demo
from demo.spec import DEMO_PASSWORD, SCALES, SEED_DISTRICTS, USERNAME_PREFIX


class Command(BaseCommand):
    help = (
        "Load demo unions, staff accounts, facilities and cases for the real areas (deterministic "
        "for a seed; a no-op when that seed and scale are loaded), or remove them with --remove."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
        parser.add_argument(
            "--scale", choices=list(SCALES), default="small",
            help="small: the five districts' figures, seconds; city: 100k facilities and cases; "
            "national: 1M of each, for the benchmarks",
        )
        parser.add_argument("--remove", action="store_true", help="delete the demo data, only it")

    def handle(self, *args, seed, scale, remove, **options):
        if remove:
            try:
                counts = remove_demo()
            except DemoInUse as exc:
                raise CommandError(
                    _("Nothing removed: real data refers to demo data. Reassign or delete it first:")
                    + "\n  " + "\n  ".join(exc.problems)
                ) from None
            self.stdout.write(_("Removed demo data: %(counts)s") % {"counts": _counts(counts)})
            return
        try:
            report = load_demo(seed, scale, log=lambda message: self.stdout.write(f"  {message}"))
        except DemoInUse as exc:
            raise CommandError(
                _("Cannot replace the demo data: real data refers to it:")
                + "\n  " + "\n  ".join(exc.problems)
            ) from None
        if report.already_loaded:
            self.stdout.write(
                _("Demo data (seed %(seed)s, %(scale)s) already loaded; nothing to do.")
                % {"seed": seed, "scale": scale}
            )
        else:
            self.stdout.write(self.style.SUCCESS(
                _("Loaded demo data (seed %(seed)s, %(scale)s) in %(seconds).1f s: %(counts)s")
                % {"seed": seed, "scale": scale, "seconds": report.seconds,
                   "counts": _counts(report.counts)}
            ))
        seeds = [(u, n) for u, n in report.staff if u.removeprefix(USERNAME_PREFIX) in SEED_DISTRICTS]
        if report.staff:
            self.stdout.write(
                _("Demo staff accounts (demo only), password %(password)r, one per union as "
                  "%(prefix)s<adcode> (%(count)s in all), e.g.:")
                % {"password": DEMO_PASSWORD, "prefix": USERNAME_PREFIX, "count": len(report.staff)}
            )
            for username, union in seeds or report.staff[:5]:
                self.stdout.write(f"  {username:<14} {union}")


def _counts(counts: dict) -> str:
    return ", ".join(f"{value:,} {key}" for key, value in counts.items())
