from django.core import mail

from notify.models import EmailKind, EmailOptOut
from tests.cases.helpers import inside, new_case
from tests.factories import make_staff
from tests.notify.helpers import district, pump


def test_the_unions_staff_are_emailed_about_a_new_case(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d = district()
    make_staff(d.union, email="")  # no address: nobody to write to
    case = new_case(inside(d.area))
    pump()
    [message] = mail.outbox
    assert message.to == [d.staff.email]
    assert case.reference in message.subject
    assert f"/admin/cases/case/{case.pk}/change/" in message.body


def test_a_staff_member_who_turned_a_kind_off_gets_none_of_it(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d = district()
    colleague = make_staff(d.union, email="colleague@union.example")
    EmailOptOut.objects.create(user=d.staff, kind=EmailKind.CASE_CREATED)
    new_case(inside(d.area))
    pump()
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_escalation_mails_the_union_it_reaches(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d = district()
    city_staff = make_staff(d.city.union, email="city@union.example")
    case = new_case(inside(d.area))
    pump()
    mail.outbox.clear()
    case.escalate(note="需要市总 needs the city")
    pump()
    assert [m.to for m in mail.outbox] == [[city_staff.email]]
    assert "escalated" in mail.outbox[0].subject or "上报" in mail.outbox[0].subject


def test_only_a_low_rating_is_mailed(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d = district()
    good, bad = new_case(inside(d.area)), new_case(inside(d.area))
    for case in (good, bad):
        case.accept()
        case.resolve(note="已解决 solved")
    pump()
    mail.outbox.clear()
    good.rate(5)
    bad.rate(1, "没有解决 not solved")
    pump()
    assert len(mail.outbox) == 1
    assert bad.reference in mail.outbox[0].subject and "1/5" in mail.outbox[0].body
