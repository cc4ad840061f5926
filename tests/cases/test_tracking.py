"""The reporter follows a case with its reference and token; nothing private leaks."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from tests.factories import make_staff

from .helpers import post_case


@pytest.fixture
def receipt(api, tree):
    return post_case(
        api, lat=1, lon=101, reporter_name="王小明", reporter_phone="138 0000 1234",
        description="站点没有热水 no hot water at the station",
    ).json()


def _track(api, reference, token):
    return api.get(reverse("cases:case-track", args=[reference]), {"token": token})


def test_it_shows_status_deadline_and_the_public_timeline(api, tree, receipt):
    from cases.models import Case

    case = Case.objects.get(reference=receipt["reference"])
    staff = make_staff(tree.a.union, username="li.officer")
    case.amend(staff, location=Point(101.5, 1.5, srid=4326))  # internal: a location correction
    case.accept(staff, note="已受理，三日内回复")

    response = _track(api, receipt["reference"], receipt["tracking_token"])

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted" and body["due_at"] == receipt["due_at"]
    assert [e["kind"] for e in body["events"]] == ["created", "assignment", "status"]
    assert body["events"][-1]["note"] == "已受理，三日内回复"
    assert body["events"][-1]["actor"] == "staff"
    text = response.content.decode()
    for private in ["王小明", "138 0000 1234", "li.officer", "101.5", "\"kind\":\"location\""]:
        assert private not in text


def test_a_wrong_token_is_the_same_404_as_an_unknown_reference(api, tree, receipt):
    wrong = _track(api, receipt["reference"], "not-the-token")
    unknown = _track(api, "330411-2026-999999", receipt["tracking_token"])
    missing = api.get(reverse("cases:case-track", args=[receipt["reference"]]))

    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.json() == unknown.json() == missing.json()


def test_another_cases_token_does_not_open_this_one(api, tree, receipt):
    other = post_case(api, lat=1, lon=103).json()

    assert _track(api, receipt["reference"], other["tracking_token"]).status_code == 404
