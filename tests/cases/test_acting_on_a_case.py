"""Who acts on a case: its union's staff; a union above only after take_over; a union below
keeps reading a case it escalated but no longer acts on it."""

import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from cases.models import CaseEvent, EventKind, Status
from tests.factories import make_staff

from .helpers import act, detail_url, new_case


@pytest.fixture
def case(tree):
    return new_case(Point(101, 1, srid=4326))  # district A's


def client_for(union) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_staff(union))
    return client


def test_the_holding_unions_staff_act(case, tree):
    assert act(client_for(tree.a.union), case, "accept").status_code == 200


def test_a_union_above_is_refused_with_403_naming_the_holder(case, tree):
    city = client_for(tree.c.union)

    response = act(city, case, "escalate")

    assert response.status_code == 403
    assert response.json()["assigned_union"] == "A区总工会"
    assert "A区总工会" in response.json()["errors"]["action"][0]
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.assigned_union == tree.a.union
    assert city.get(detail_url(case)).status_code == 200  # it still reads the case


def test_a_union_above_acts_after_taking_over(case, tree):
    city = client_for(tree.c.union)

    taken = act(city, case, "take_over", note="重大案件 a serious case")
    accepted = act(city, case, "accept")

    assert (taken.status_code, accepted.status_code) == (200, 200)
    case.refresh_from_db()
    assert case.assigned_union == tree.c.union and case.status == Status.ACCEPTED
    event = CaseEvent.objects.get(case=case, kind=EventKind.ASSIGNMENT, note__contains="重大")
    assert (event.from_value, event.to_value) == ("A区总工会", "C市总工会")
    # And the district, no longer holding it, is refused in turn.
    assert act(client_for(tree.a.union), case, "start").status_code == 403


def test_a_sibling_union_cannot_take_over(case, tree):
    # B does not even see A's case: a 404, as for any case outside the jurisdiction.
    assert act(client_for(tree.b.union), case, "take_over").status_code == 404


def test_a_union_below_cannot_take_over_from_above(case, tree):
    act(client_for(tree.a.union), case, "escalate")

    response = act(client_for(tree.a.union), case, "take_over")

    assert response.status_code == 403
    assert response.json()["assigned_union"] == "C市总工会"


def test_the_lower_union_reads_but_no_longer_acts_after_escalating(case, tree):
    district = client_for(tree.a.union)
    assert act(district, case, "escalate").status_code == 200

    assert district.get(detail_url(case)).status_code == 200
    response = act(district, case, "accept")
    assert response.status_code == 403 and response.json()["assigned_union"] == "C市总工会"
    assert act(client_for(tree.c.union), case, "accept").status_code == 200


def test_an_api_key_acts_like_its_unions_staff_and_names_no_handler(case, tree):
    from cases.models import NotCaseHolder, UnionCredential

    with pytest.raises(NotCaseHolder):
        case.accept(UnionCredential(tree.c.union, "city tool"))
    case.accept(UnionCredential(tree.a.union, "district tool"))

    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.assignee is None
