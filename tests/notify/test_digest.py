from datetime import timedelta

from django.core import mail
from django.utils import timezone

from cases.models import Status
from notify.deliver import deliver_due
from notify.models import EmailKind, EmailOptOut
from notify.schedule import send_digests
from tests.factories import make_case
from tests.notify.helpers import district


def _morning(days: int = 0):
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=9, minute=0)


def test_each_union_gets_one_digest_a_day_of_overdue_and_waiting_cases(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_DIGEST_HOUR = 8
    d = district()
    late = make_case(area=d.area, union=d.union, status=Status.ACCEPTED,
                     created_at=timezone.now() - timedelta(days=10))
    waiting = make_case(area=d.area, union=d.union)
    make_case(area=d.area, union=d.union, status=Status.CLOSED)

    assert send_digests(_morning()) == 1
    assert send_digests(_morning()) == 0  # once a day
    deliver_due()
    [digest] = mail.outbox
    assert digest.to == [d.staff.email]
    assert late.reference in digest.body and waiting.reference in digest.body
    assert send_digests(_morning(days=1)) == 1  # and again the next day


def test_no_digest_before_the_hour_or_for_a_staff_member_who_turned_it_off(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_DIGEST_HOUR = 8
    d = district()
    make_case(area=d.area, union=d.union)
    assert send_digests(_morning().replace(hour=7)) == 0
    EmailOptOut.objects.create(user=d.staff, kind=EmailKind.DIGEST)
    send_digests(_morning())
    deliver_due()
    assert mail.outbox == []
