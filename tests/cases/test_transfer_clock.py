"""Transfers: to a department of the jurisdiction's list, and the case keeps its clock (overdue,
`case_deadlines`, stats); a missed response deadline shows as response_overdue."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Department, Status
from tests.factories import make_case, make_staff

from .helpers import act, new_case

LIST = reverse("cases:case-list")


@pytest.fixture
def staff(api, tree):
    api.force_authenticate(make_staff(tree.a.union))
    return api


@pytest.fixture
def departments(tree):
    return {
        "district": Department.objects.create(area=tree.a, name="区人社局"),
        "city": Department.objects.create(area=tree.c, name="市市场监管局"),
        "elsewhere": Department.objects.create(area=tree.b, name="B区住建局"),
    }


def test_the_department_list_is_the_jurisdictions_and_those_above(staff, tree, departments):
    names = {d["name"] for d in staff.get(reverse("cases:department-list")).json()["results"]}
    by_area = staff.get(reverse("cases:department-list"), {"area": tree.b.adcode}).json()

    assert names == {"区人社局", "市市场监管局"}
    assert {d["name"] for d in by_area["results"]} == {"B区住建局", "市市场监管局"}


@pytest.mark.parametrize("department", ["B区住建局", "99999", "不存在的局", ""])
def test_an_unknown_or_foreign_department_is_a_400(staff, tree, departments, department):
    case = new_case(Point(101, 1, srid=4326))

    response = act(staff, case, "transfer", department=department)

    assert response.status_code == 400 and "department" in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_a_city_department_can_be_named_by_id(staff, tree, departments):
    case = new_case(Point(101, 1, srid=4326))

    response = act(staff, case, "transfer", department=departments["city"].pk)

    assert response.status_code == 200
    assert response.json()["properties"]["transferred_to"] == "市市场监管局"


def test_a_transferred_case_keeps_its_clock(staff, tree, departments):
    ago = timezone.now() - timedelta(days=240)  # eight months
    case = make_case(area=tree.a, union=tree.a.union, created_at=ago)
    assert act(staff, case, "transfer", department="区人社局").status_code == 200

    case.refresh_from_db()
    assert case.status == Status.TRANSFERRED and case.is_overdue
    overdue = staff.get(LIST, {"overdue": "true"}).json()["features"]
    assert [f["id"] for f in overdue] == [case.reference]
    assert overdue[0]["properties"]["overdue"] is True

    out = StringIO()
    call_command("case_deadlines", "--json", stdout=out)
    report = json.loads(out.getvalue())["unions"]
    assert [(u["union"], [c["reference"] for c in u["cases"]]) for u in report] == [
        ("A区总工会", [case.reference])
    ]
    stats = staff.get(reverse("cases:case-stats")).json()
    assert stats["total"]["overdue"] == 1


def test_a_missed_response_deadline_is_response_overdue(staff, tree):
    late = make_case(area=tree.a, union=tree.a.union,
                     created_at=timezone.now() - timedelta(hours=30))
    answered = make_case(area=tree.a, union=tree.a.union,
                         created_at=timezone.now() - timedelta(hours=30),
                         status="accepted", responded_at=timezone.now() - timedelta(hours=29))
    fresh = make_case(area=tree.a, union=tree.a.union)

    features = {f["id"]: f["properties"] for f in staff.get(LIST).json()["features"]}
    flagged = staff.get(LIST, {"response_overdue": "true"}).json()["features"]

    assert features[late.reference]["response_overdue"] is True
    assert features[answered.reference]["response_overdue"] is False
    assert features[fresh.reference]["response_overdue"] is False
    assert [f["id"] for f in flagged] == [late.reference]
    assert staff.get(reverse("cases:case-stats")).json()["total"]["response_overdue"] == 1
    assert Case.objects.response_overdue().get() == late


def test_a_name_both_levels_use_means_the_districts_own(staff, tree):
    own = Department.objects.create(area=tree.a, name="人社局")
    Department.objects.create(area=tree.c, name="人社局")
    case = new_case(Point(101, 1, srid=4326))

    assert act(staff, case, "transfer", department="人社局").status_code == 200

    case.refresh_from_db()
    assert case.department == own

