"""A problem with a listed place is a case routed to the union that runs the place."""

import pytest

from cases.models import Case, CaseEvent, Category
from tests.factories import make_facility

from .helpers import post_case


def test_it_goes_to_the_operating_union_not_the_union_of_the_area(api, tree):
    # The place stands in district A; the city union C runs it.
    facility = make_facility(101, 1, operator=tree.c.union)
    response = post_case(api, category=Category.FACILITY_PROBLEM, facility=facility.pk,
                         description="显示开放但关门了 listed open, found locked")
    assert response.status_code == 201
    body = response.json()
    assert body["assigned_union"]["name"] == "C市总工会"
    assert body["area"]["adcode"] == tree.a.adcode
    case = Case.objects.get(reference=body["reference"])
    assert case.facility == facility and case.assigned_union == tree.c.union
    assert CaseEvent.objects.filter(case=case, kind="assignment", to_value="C市总工会").exists()


def test_without_an_operator_it_goes_to_the_union_of_the_area(api, tree):
    facility = make_facility(103, 1)  # district B, nobody named as operator
    body = post_case(api, category=Category.FACILITY_PROBLEM, facility=facility.pk).json()
    assert body["assigned_union"]["name"] == "B区总工会"


def test_other_categories_at_a_facility_still_route_by_place(api, tree):
    facility = make_facility(101, 1, operator=tree.c.union)
    body = post_case(api, category=Category.SAFETY, facility=facility.pk).json()
    assert body["assigned_union"]["name"] == "A区总工会"


@pytest.mark.django_db
def test_it_needs_the_facility(api):
    response = post_case(api, category=Category.FACILITY_PROBLEM, lat=1, lon=101)
    assert response.status_code == 400
    assert "facility" in response.json()["errors"]
    assert not Case.objects.exists()
