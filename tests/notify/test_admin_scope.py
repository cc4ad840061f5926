from django.contrib.auth.models import Permission
from django.test import Client

from notify.models import Delivery, Subscription
from tests.notify.helpers import SECRET, district


def _admin_client(user) -> Client:
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="notify"))
    client = Client()
    client.force_login(user)
    return client


def test_a_unions_staff_see_and_subscribe_only_their_own_union(db):
    mine, other = district("区A", 100), district("区B", 110)
    Subscription.objects.register("https://a.example/h", ["case.created"], mine.union, SECRET)
    Subscription.objects.register("https://b.example/h", ["case.created"], other.union, SECRET)
    Subscription.objects.register("https://all.example/h", ["case.created"], None, SECRET)
    client = _admin_client(mine.staff)

    page = client.get("/admin/notify/subscription/").content.decode()
    assert "a.example" in page and "b.example" not in page and "all.example" not in page

    response = client.post("/admin/notify/subscription/add/", {
        "url": "https://new.example/h", "events": ["case.created"], "union": other.union.pk,
        "is_active": "on", "secret": "",
    })
    assert response.status_code == 200  # the form again, with the error on `union`
    assert not Subscription.objects.filter(url="https://new.example/h").exists()


def test_a_unions_staff_see_only_their_deliveries(db):
    mine, other = district("区A", 100), district("区B", 110)
    theirs, _ = Subscription.objects.register("https://b.example/h", ["case.created"], other.union, SECRET)
    Delivery.objects.create(event_id="00000000-0000-4000-8000-000000000001", event_type="case.created",
                            case_reference="MINE-MAIL", recipient=mine.staff.email, payload={})
    Delivery.objects.create(event_id="00000000-0000-4000-8000-000000000002", event_type="case.created",
                            case_reference="THEIR-HOOK", subscription=theirs, payload={})
    page = _admin_client(mine.staff).get("/admin/notify/delivery/").content.decode()
    assert "MINE-MAIL" in page and "THEIR-HOOK" not in page


def test_a_staff_member_turns_off_only_their_own_emails(db):
    from notify.models import EmailOptOut

    mine, other = district("区A", 100), district("区B", 110)
    client = _admin_client(mine.staff)
    client.post("/admin/notify/emailoptout/add/", {"user": other.staff.pk, "kind": "digest"})
    client.post("/admin/notify/emailoptout/add/", {"user": mine.staff.pk, "kind": "digest"})
    assert list(EmailOptOut.objects.values_list("user", "kind")) == [(mine.staff.pk, "digest")]
