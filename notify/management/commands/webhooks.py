"""`manage.py webhooks add URL --secret SECRET --events EVENT[,EVENT...] [--union ADCODE]`, and
`list`, `resume ID`, `remove ID`. The secret is printed once, when it was generated here."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from notify.models import Subscription
from stations.models import Union


class Command(BaseCommand):
    help = "Manage webhook subscriptions (CONTRACT.md, Integrations)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="subscribe a URL to events")
        add.add_argument("url")
        add.add_argument("--secret", default="", help="HMAC secret (generated and shown once if omitted)")
        add.add_argument("--events", required=True, help="comma-separated, e.g. case.created,case.overdue")
        add.add_argument("--union", default=None, help="the union's area code; omit for every union")
        sub.add_parser("list", help="the subscriptions (never their secrets)")
        for name in ("resume", "remove"):
            sub.add_parser(name).add_argument("id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_add(self, url, secret, events, union, **_options):
        found = None
        if union:
            found = Union.objects.filter(area__adcode=union).first()
            if found is None:
                raise CommandError(_("union: no union for area code %(code)s") % {"code": union})
        names = [name.strip() for name in events.split(",") if name.strip()]
        try:
            sub, secret_used = Subscription.objects.register(url, names, found, secret)
        except ValidationError as exc:
            raise CommandError("; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )) from None
        self.stdout.write(_("Webhook %(id)d added: %(url)s") % {"id": sub.pk, "url": sub.url})
        if not secret:
            self.stdout.write(_("Secret (shown only now): %(secret)s") % {"secret": secret_used})

    def do_list(self, **_options):
        for sub in Subscription.objects.select_related("union").order_by("pk"):
            state = _("webhook active") if sub.is_active else _("turned off")
            state = _("paused") if sub.paused_at else state
            self.stdout.write(
                f"{sub.pk}\t{sub.url}\t{sub.union or '*'}\t{','.join(sub.events)}\t{state}"
            )

    def do_resume(self, id, **_options):
        if not Subscription.objects.filter(pk=id).update(paused_at=None, consecutive_failures=0):
            raise CommandError(_("id: no webhook %(id)d") % {"id": id})
        self.stdout.write(_("Webhook %(id)d resumed") % {"id": id})

    def do_remove(self, id, **_options):
        deleted, _rows = Subscription.objects.filter(pk=id).delete()
        if not deleted:
            raise CommandError(_("id: no webhook %(id)d") % {"id": id})
        self.stdout.write(_("Webhook %(id)d removed") % {"id": id})
