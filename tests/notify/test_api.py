from django.urls import reverse

from notify.models import EmailKind, EmailOptOut, Subscription
from tests.factories import make_staff
from tests.notify.helpers import district


def test_a_staff_member_turns_email_kinds_off_and_on(db, api):
    d = district()
    api.force_authenticate(d.staff)
    url = reverse("notify:email-preferences")
    response = api.put(url, {"off": ["digest", "case.created"]}, format="json")
    assert response.status_code == 200
    assert response.json()["off"] == ["case.created", "digest"]
    assert set(EmailOptOut.objects.filter(user=d.staff).values_list("kind", flat=True)) == {
        EmailKind.DIGEST, EmailKind.CASE_CREATED,
    }
    response = api.put(url, {"off": ["digest"]}, format="json")
    kinds = {k["kind"]: k["on"] for k in api.get(url).json()["kinds"]}
    assert kinds["case.created"] is True and kinds["digest"] is False


def test_an_unknown_kind_is_a_400_naming_the_field(db, api):
    d = district()
    api.force_authenticate(d.staff)
    response = api.put(reverse("notify:email-preferences"), {"off": ["spam"]}, format="json")
    assert response.status_code == 400
    assert "off" in response.json()["errors"]


def test_the_public_has_no_preferences(db, api):
    assert api.get(reverse("notify:email-preferences")).status_code in (401, 403)


def test_union_staff_add_a_webhook_for_their_union_and_see_the_secret_once(db, api):
    d = district()
    api.force_authenticate(d.staff)
    url = reverse("notify:webhook-list")
    response = api.post(url, {"url": "http://10.1.2.3:9000/sms", "events": ["case.created"]},
                        format="json")
    assert response.status_code == 201
    body = response.json()
    sub = Subscription.objects.get()
    assert body["secret"] == sub.secret and body["union"] == d.area.adcode
    assert sub.union == d.union
    listed = api.get(url).json()
    assert [w["url"] for w in listed] == ["http://10.1.2.3:9000/sms"]
    assert "secret" not in listed[0]


def test_bad_webhook_urls_are_400s_naming_the_field(db, api):
    d = district()
    api.force_authenticate(d.staff)
    url = reverse("notify:webhook-list")
    for bad in ["ftp://gw.example/x", "http://127.0.0.1:8000/api/cases/"]:
        response = api.post(url, {"url": bad, "events": ["case.created"]}, format="json")
        assert response.status_code == 400, bad
        assert list(response.json()["errors"]) == ["url"]
    response = api.post(url, {"url": "https://gw.example/x", "events": ["nope"]}, format="json")
    assert response.status_code == 400 and "events" in response.json()["errors"]
    assert not Subscription.objects.exists()


def test_staff_without_a_union_cannot_add_one(db, api):
    api.force_authenticate(make_staff(None))
    response = api.post(reverse("notify:webhook-list"),
                        {"url": "https://gw.example/x", "events": ["case.created"]}, format="json")
    assert response.status_code == 403
