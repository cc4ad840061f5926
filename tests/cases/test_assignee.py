"""Named handlers: accept names the acting staff member (or another of the union), reassigning
stays within the union, filters assignee=me|none, escalation clears it."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from cases.models import CaseEvent, EventKind
from tests.factories import make_staff

from .helpers import act, detail_url, new_case

LIST = reverse("cases:case-list")


@pytest.fixture
def case(tree):
    return new_case(Point(101, 1, srid=4326))


@pytest.fixture
def li(api, tree):
    user = make_staff(tree.a.union, username="li")
    api.force_authenticate(user)
    return user


def test_accept_names_the_accepting_staff_member(api, case, li):
    response = act(api, case, "accept")

    assert response.json()["properties"]["assignee"] == "li"
    event = CaseEvent.objects.get(case=case, kind=EventKind.ASSIGNEE)
    assert (event.from_value, event.to_value, event.actor) == ("", "li", li)


def test_accept_names_another_of_the_union_when_asked(api, case, li, tree):
    make_staff(tree.a.union, username="zhang")

    response = act(api, case, "accept", assignee="zhang")

    assert response.json()["properties"]["assignee"] == "zhang"


def test_an_assignee_outside_the_union_is_a_400_naming_assignee(api, case, li, tree):
    make_staff(tree.b.union, username="outsider")

    accepting = act(api, case, "accept", assignee="outsider")
    patching = api.patch(detail_url(case), {"assignee": "outsider"}, format="json")
    unknown = api.patch(detail_url(case), {"assignee": "nobody"}, format="json")

    for response in (accepting, patching, unknown):
        assert response.status_code == 400 and "assignee" in response.json()["errors"]
    case.refresh_from_db()
    assert case.assignee is None and case.status == "received"


def test_staff_reassign_within_the_union_and_filter_by_handler(api, case, li, tree):
    zhang = make_staff(tree.a.union, username="zhang")
    other = new_case(Point(101.5, 1.5, srid=4326))
    act(api, case, "accept")

    assert api.patch(detail_url(case), {"assignee": "zhang"}, format="json").status_code == 200
    case.refresh_from_db()
    assert case.assignee == zhang

    mine = api.get(LIST, {"assignee": "me"}).json()["features"]
    nobody = api.get(LIST, {"assignee": "none"}).json()["features"]
    theirs = api.get(LIST, {"assignee": "zhang"}).json()["features"]
    assert mine == [] and [f["id"] for f in nobody] == [other.reference]
    assert [f["id"] for f in theirs] == [case.reference]


def test_a_union_above_cannot_name_the_handler_without_taking_over(case, tree):
    from rest_framework.test import APIClient

    city = APIClient()
    city.force_authenticate(make_staff(tree.c.union))
    make_staff(tree.a.union, username="zhang")

    response = city.patch(detail_url(case), {"assignee": "zhang"}, format="json")

    assert response.status_code == 403 and "assignee" in response.json()["errors"]


def test_escalation_clears_the_handler(api, case, li):
    act(api, case, "accept")
    act(api, case, "escalate")

    case.refresh_from_db()
    assert case.assignee is None
