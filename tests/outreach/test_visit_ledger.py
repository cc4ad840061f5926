"""The visit ledger: issues raised on a visit become cases (channel visit) linked to it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Channel
from outreach.models import Enterprise, Visit
from tests.factories import make_staff
from tests.outreach.builders import code_for, make_enterprise

pytestmark = pytest.mark.django_db


def _visit(api, enterprise, **data):
    body = {"enterprise": enterprise.pk, "visited_on": str(timezone.localdate()),
            "workers_met": 6, "findings": "食堂价格上涨 canteen prices up", **data}
    return api.post(reverse("outreach:visit-list"), body, format="json")


def test_issues_raised_on_a_visit_become_linked_cases(api, tree, staff_a):
    firm = make_enterprise(tree.a)
    api.force_authenticate(staff_a)
    response = _visit(api, firm, issues=[
        {"category": "wage_arrears", "description": "三月工资未发 March wages unpaid"},
        {"category": "safety", "description": "头盔不足 not enough helmets"},
    ])
    assert response.status_code == 201, response.json()
    visit = Visit.objects.get()
    cases = Case.objects.filter(visit_issue__visit=visit)
    assert sorted(response.json()["cases"]) == sorted(cases.values_list("reference", flat=True))
    assert cases.count() == 2
    assert set(cases.values_list("channel", flat=True)) == {Channel.VISIT}
    assert {c.assigned_union for c in cases} == {tree.a.union}
    assert visit.staff == staff_a


def test_the_ledger_lists_the_visits_cases(api, tree, staff_a):
    firm = make_enterprise(tree.a)
    api.force_authenticate(staff_a)
    _visit(api, firm, issues=[{"category": "other", "description": "x"}])
    _visit(api, firm)
    rows = api.get(reverse("outreach:visit-list")).json()["results"]
    assert sorted(len(r["cases"]) for r in rows) == [0, 1]


def test_a_visit_in_the_future_is_a_400_and_writes_nothing(api, tree, staff_a):
    firm = make_enterprise(tree.a)
    api.force_authenticate(staff_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _visit(api, firm, visited_on=str(tomorrow),
                      issues=[{"category": "other", "description": "x"}])
    assert response.status_code == 400
    assert "visited_on" in response.json()["errors"]
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_a_bad_issue_writes_neither_visit_nor_case(api, tree, staff_a):
    firm = make_enterprise(tree.a)
    api.force_authenticate(staff_a)
    response = _visit(api, firm, issues=[{"category": "other", "description": "x"},
                                         {"category": "nonsense", "description": "y"}])
    assert response.status_code == 400
    assert "issues" in response.json()["errors"]
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_another_jurisdictions_enterprise_cannot_be_visited(api, tree, staff_a):
    other = make_enterprise(tree.b)
    api.force_authenticate(staff_a)
    response = _visit(api, other)
    assert response.status_code == 400 and "enterprise" in response.json()["errors"]


def test_a_wrong_check_character_is_a_400_naming_credit_code(api, tree, staff_a):
    api.force_authenticate(staff_a)
    good = code_for()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    body = {"name": "某快递公司", "credit_code": wrong, "lat": 1.0, "lon": 101.0}
    response = api.post(reverse("outreach:enterprise-list"), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["credit_code"]
    body["credit_code"] = good
    response = api.post(reverse("outreach:enterprise-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert Enterprise.objects.get().area == tree.a


def test_the_public_cannot_read_the_ledger(api, tree):
    assert api.get(reverse("outreach:visit-list")).status_code in (401, 403)
    assert api.get(reverse("outreach:enterprise-list")).status_code in (401, 403)


def test_staff_of_another_union_do_not_see_the_visit(api, tree, staff_a):
    firm = make_enterprise(tree.a)
    api.force_authenticate(staff_a)
    _visit(api, firm)
    api.force_authenticate(make_staff(tree.b.union))
    assert api.get(reverse("outreach:visit-list")).json()["results"] == []


def test_workplace_union_staff_work_in_their_parents_area(api, tree):
    firm = make_enterprise(tree.a, own_union=True)
    api.force_authenticate(make_staff(firm.union))
    listed = api.get(reverse("outreach:enterprise-list")).json()["results"]
    assert [e["credit_code"] for e in listed] == [firm.credit_code]
    assert listed[0]["union_name"] == firm.union.name
