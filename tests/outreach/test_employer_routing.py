"""Employer routing at intake (武义 四有): the employer's own union first, escalation from there to
the area's union, the reason in the case's events; location routing without an employer."""

import pytest
from django.urls import reverse

from cases.models import Case, EventKind
from tests.cases.helpers import inside, new_case, post_case
from tests.outreach.builders import code_for, make_enterprise

pytestmark = pytest.mark.django_db


def _assignment_note(case: Case) -> str:
    return case.events.get(kind=EventKind.ASSIGNMENT).note


def test_it_routes_to_the_employers_own_union_by_credit_code(api, tree, firm):
    response = post_case(api, employer=firm.credit_code, **_at(tree.a))
    assert response.status_code == 201, response.json()
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.assigned_union == firm.union
    assert case.employer_code == firm.credit_code
    assert case.area == tree.a
    assert response.json()["assigned_union"]["adcode"] == tree.a.adcode
    assert "employer's own union" in _assignment_note(case)


def test_it_finds_the_employer_by_id_too(api, tree, firm):
    response = post_case(api, employer=str(firm.pk))
    assert response.status_code == 201, response.json()
    case = Case.objects.get(reference=response.json()["reference"])
    # No location: the case takes the union's area, so the district's staff see it.
    assert (case.assigned_union, case.area) == (firm.union, tree.a)


def test_escalation_goes_from_the_workplace_union_to_the_areas_union(tree, firm):
    case = new_case(inside(tree.a))
    case.assigned_union = firm.union
    case.save()
    case.escalate(note="超出本单位工会能力 beyond the workplace union")
    case.refresh_from_db()
    assert case.assigned_union == tree.a.union
    case.escalate()
    case.refresh_from_db()
    assert case.assigned_union == tree.c.union  # and from there up by area, as before


def test_escalation_through_the_api_is_recorded(api, tree, firm):
    from tests.cases.helpers import act
    from tests.factories import make_staff

    case = Case.objects.get(
        reference=post_case(api, employer=firm.credit_code, **_at(tree.a)).json()["reference"]
    )
    api.force_authenticate(make_staff(firm.union))
    assert act(api, case, "escalate").status_code == 200
    case.refresh_from_db()
    assert case.assigned_union == tree.a.union
    last = case.events.filter(kind=EventKind.ASSIGNMENT).last()
    assert (last.from_value, last.to_value) == (firm.union.name, tree.a.union.name)


def test_an_employer_outside_the_cases_area_is_allowed_and_said(api, tree):
    firm_b = make_enterprise(tree.b, own_union=True)
    response = post_case(api, employer=firm_b.credit_code, **_at(tree.a))
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.assigned_union == firm_b.union
    assert case.area == tree.a
    note = _assignment_note(case)
    assert "outside the employer's area" in note and tree.b.adcode in note


def test_an_employer_without_a_union_leaves_location_routing(api, tree):
    plain = make_enterprise(tree.b)
    response = post_case(api, employer=plain.credit_code, **_at(tree.a))
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.assigned_union == tree.a.union
    assert "no union of its own" in _assignment_note(case)


def test_without_an_employer_routing_is_by_location(api, tree, firm):
    response = post_case(api, **_at(tree.b))
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.assigned_union == tree.b.union and case.employer_code == ""


def test_an_unknown_employer_is_a_400_naming_it(api, tree):
    response = post_case(api, employer=code_for(), **_at(tree.a))
    assert response.status_code == 400
    assert "employer" in response.json()["errors"]
    assert not Case.objects.exists()


def test_workplace_union_staff_see_only_their_employers_cases(api, tree, firm):
    from tests.factories import make_staff

    ours = post_case(api, employer=firm.credit_code, **_at(tree.a)).json()["reference"]
    post_case(api, **_at(tree.a))
    api.force_authenticate(make_staff(firm.union))
    listed = api.get(reverse("cases:case-list")).json()["features"]
    assert [f["id"] for f in listed] == [ours]


def _at(area):
    p = inside(area)
    return {"lat": p.y, "lon": p.x}
