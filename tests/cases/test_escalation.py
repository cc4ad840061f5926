"""Escalation hands a case to the parent area's union, walking up past areas without one."""

import pytest

from cases.models import CaseEvent, EventKind, Status
from stations.models import Union
from tests.factories import make_staff

from .helpers import act, inside, new_case


@pytest.fixture
def zhejiang(real_areas):
    """Unions for 秀洲区, 嘉兴市 and 浙江省."""
    return {
        code: Union.objects.create(area=real_areas[code], name=name)
        for code, name in [("330411", "秀洲区总工会"), ("330400", "嘉兴市总工会"),
                           ("330000", "浙江省总工会")]
    }


def _assignments(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNMENT)
        .order_by("id")
        .values_list("from_value", "to_value")
    )


def test_it_escalates_district_to_city_to_province(api, real_areas, zhejiang):
    case = new_case(inside(real_areas["330411"]))
    assert case.assigned_union == zhejiang["330411"]

    api.force_authenticate(make_staff(zhejiang["330411"]))
    assert act(api, case, "escalate", note="需市级协调").status_code == 200
    case.refresh_from_db()
    assert (case.status, case.assigned_union) == (Status.ESCALATED, zhejiang["330400"])

    api.force_authenticate(make_staff(zhejiang["330400"]))
    assert act(api, case, "accept").status_code == 200
    assert act(api, case, "escalate", note="涉及全省平台规则").status_code == 200
    case.refresh_from_db()
    assert (case.status, case.assigned_union) == (Status.ESCALATED, zhejiang["330000"])
    assert case.area == real_areas["330411"]  # where it happened does not change

    assert _assignments(case) == [
        ("", "秀洲区总工会"),
        ("秀洲区总工会", "嘉兴市总工会"),
        ("嘉兴市总工会", "浙江省总工会"),
    ]


def test_it_skips_levels_without_a_union(real_areas, zhejiang):
    zhejiang["330400"].delete()
    case = new_case(inside(real_areas["330411"]))

    case.escalate(note="市里没有工会 no city union")

    case.refresh_from_db()
    assert case.assigned_union == zhejiang["330000"]


def test_a_district_without_a_union_escalates_from_the_union_that_has_the_case(
    real_areas, zhejiang
):
    zhejiang["330411"].delete()
    case = new_case(inside(real_areas["330411"]))
    assert case.assigned_union == zhejiang["330400"]

    case.escalate()

    case.refresh_from_db()
    assert case.assigned_union == zhejiang["330000"]


def test_the_top_cannot_escalate_and_says_so_with_409(api, real_areas, zhejiang):
    case = new_case(inside(real_areas["330411"]))
    case.escalate()
    case.escalate()
    before = CaseEvent.objects.filter(case=case).count()
    api.force_authenticate(make_staff(zhejiang["330000"]))

    response = act(api, case, "escalate")

    assert response.status_code == 409
    assert "escalate" not in response.json()["allowed_actions"]
    assert "accept" in response.json()["allowed_actions"]
    assert CaseEvent.objects.filter(case=case).count() == before
    case.refresh_from_db()
    assert case.assigned_union == zhejiang["330000"]
