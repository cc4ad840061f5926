"""Who sees which case: a union's area and sub-areas; another union's case is 404 everywhere."""

import base64

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.authentication import BasicAuthentication, SessionAuthentication

from cases.models import CaseEvent, Status
from cases.views import CaseViewSet
from tests.factories import make_staff

from .helpers import act, detail_url, new_case


@pytest.fixture
def cases(tree):
    return {
        "a": new_case(Point(101, 1, srid=4326)),
        "b": new_case(Point(103, 1, srid=4326)),
        "e": new_case(Point(106, 1, srid=4326)),  # no union below the province's
    }


def _listed(api) -> set[str]:
    response = api.get(reverse("cases:case-list"))
    assert response.status_code == 200
    return {feature["id"] for feature in response.json()["features"]}


def test_union_a_staff_cannot_reach_union_b_case_on_any_route(api, tree, cases):
    api.force_authenticate(make_staff(tree.a.union))
    theirs = cases["b"]
    events_before = CaseEvent.objects.filter(case=theirs).count()

    assert theirs.reference not in _listed(api)
    assert api.get(detail_url(theirs)).status_code == 404
    assert api.patch(detail_url(theirs), {"category": "safety"}, format="json").status_code == 404
    assert act(api, theirs, "accept").status_code == 404

    theirs.refresh_from_db()
    assert (theirs.status, theirs.category) == (Status.RECEIVED, "other")
    assert CaseEvent.objects.filter(case=theirs).count() == events_before


def test_union_a_staff_works_its_own_case(api, tree, cases):
    api.force_authenticate(make_staff(tree.a.union))
    ours = cases["a"]

    assert _listed(api) == {ours.reference}
    assert api.get(detail_url(ours)).status_code == 200
    assert api.patch(detail_url(ours), {"category": "safety"}, format="json").status_code == 200
    assert act(api, ours, "accept").status_code == 200


def test_a_city_union_sees_its_districts_and_a_province_union_everything_below(api, tree, cases):
    api.force_authenticate(make_staff(tree.c.union))
    assert _listed(api) == {cases["a"].reference, cases["b"].reference}

    api.force_authenticate(make_staff(tree.p.union))
    assert _listed(api) == {c.reference for c in cases.values()}


def test_the_assigned_union_keeps_a_case_whose_pin_moved_out_of_its_area(api, tree, cases):
    staff_a = make_staff(tree.a.union)
    ours = cases["a"]
    ours.accept(staff_a)
    ours.amend(staff_a, location=Point(103, 1, srid=4326))  # it happened in B after all
    ours.refresh_from_db()
    assert (ours.area, ours.assigned_union) == (tree.b, tree.a.union)

    api.force_authenticate(staff_a)
    assert ours.reference in _listed(api)
    api.force_authenticate(make_staff(tree.b.union))
    assert ours.reference in _listed(api)


def test_superusers_see_all(api, tree, cases):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="pw")
    api.force_authenticate(admin)

    assert _listed(api) == {c.reference for c in cases.values()}


@pytest.mark.parametrize("who", ["anonymous", "account_without_union"])
def test_the_staff_api_is_closed_to_others(api, tree, cases, who):
    if who == "account_without_union":
        api.force_authenticate(make_staff(None))

    assert api.get(reverse("cases:case-list")).status_code in (401, 403)
    assert api.get(detail_url(cases["a"])).status_code in (401, 403)
    assert act(api, cases["a"], "accept").status_code in (401, 403)
    cases["a"].refresh_from_db()
    assert cases["a"].status == Status.RECEIVED


def test_it_refuses_http_basic_authentication_by_default(api, tree, cases):
    # Each Basic attempt costs a password hash: off unless API_BASIC_AUTH turns it on.
    user = make_staff(tree.b.union, username="b.officer")
    credentials = base64.b64encode(f"{user.username}:pw".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")

    # 401, not 403: the API-key authenticator comes first and DRF answers with its challenge.
    assert api.get(reverse("cases:case-list")).status_code == 401


def test_it_accepts_http_basic_authentication_when_switched_on(api, tree, cases, monkeypatch):
    # What API_BASIC_AUTH=on puts in the settings (tests/test_settings.py), which DRF's views
    # read once at import.
    monkeypatch.setattr(
        CaseViewSet, "authentication_classes", [SessionAuthentication, BasicAuthentication]
    )
    user = make_staff(tree.b.union, username="b.officer")
    credentials = base64.b64encode(f"{user.username}:pw".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")

    assert _listed(api) == {cases["b"].reference}
