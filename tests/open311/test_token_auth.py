"""`Authorization: Token KEY` on the staff API: the key's union's jurisdiction, nothing more."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from cases.models import CaseEvent, Status
from open311.models import ApiKey
from tests.cases.helpers import new_case


@pytest.fixture
def cases(tree):
    return {
        "a": new_case(Point(101, 1, srid=4326), category="wage_arrears"),
        "b": new_case(Point(103, 1, srid=4326), category="wage_arrears"),
    }


def _auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_union_key_lists_its_jurisdiction_only(client, cases, keys):
    response = client.get(reverse("cases:case-list"), **_auth(keys.a))

    assert response.status_code == 200
    assert [f["id"] for f in response.json()["features"]] == [cases["a"].reference]
    detail = reverse("cases:case-detail", args=[cases["b"].reference])
    assert client.get(detail, **_auth(keys.a)).status_code == 404


def test_a_union_key_works_a_case_and_the_event_names_the_key(client, cases, keys):
    url = reverse("cases:case-transitions", args=[cases["a"].reference])

    response = client.post(url, {"action": "accept"}, content_type="application/json",
                           **_auth(keys.a))

    assert response.status_code == 200
    cases["a"].refresh_from_db()
    assert cases["a"].status == Status.ACCEPTED
    event = CaseEvent.objects.filter(case=cases["a"], kind="status").get()
    assert event.actor is None
    assert event.actor_label.startswith("api key ws_") and "A区系统" in event.actor_label


def test_statistics_cover_the_keys_jurisdiction(client, cases, keys):
    response = client.get(reverse("cases:case-stats"), **_auth(keys.b))

    assert response.status_code == 200
    assert response.json()["total"]["received"] == 1


def test_a_key_without_a_union_reaches_no_staff_route(client, cases, keys):
    assert client.get(reverse("cases:case-list"), **_auth(keys.none)).status_code == 403


# 401 with the challenge: the key's authenticator comes first, and DRF answers with the first
# authentication class's `WWW-Authenticate`.
@pytest.mark.parametrize(
    "header, message",
    [
        ("Token ws_wrong", "invalid or revoked API key"),
        ("Token", "Token header must be: Token KEY"),
        ("Token a b", "Token header must be: Token KEY"),
        ("Bearer ws_key", "unsupported authorization scheme; use: Token KEY"),
        ("ws_key", "unsupported authorization scheme; use: Token KEY"),
        ("", "unsupported authorization scheme; use: Token KEY"),
    ],
)
def test_a_wrong_token_is_refused(client, cases, header, message):
    response = client.get(
        reverse("cases:case-list"), HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"errors": {"detail": [message]}}


def test_a_revoked_key_is_refused(client, cases, keys):
    ApiKey.objects.get(name="A区系统").revoke()

    response = client.get(reverse("cases:case-list"), **_auth(keys.a), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"errors": {"detail": ["invalid or revoked API key"]}}


def test_a_union_key_submitting_without_location_routes_to_its_union(client, tree, keys):
    response = client.post(
        reverse("cases:case-list"),
        {"category": "other", "description": "热线转来 from the hotline"},
        content_type="application/json", **_auth(keys.b),
    )

    assert response.status_code == 201
    assert response.json()["assigned_union"]["adcode"] == tree.b.adcode
