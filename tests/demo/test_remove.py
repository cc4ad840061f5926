"""--remove deletes the demo rows and only them."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import Case, CaseEvent, StaffMember
from demo.models import DemoLoad
from stations.models import Area, Facility, FacilityKind, Union
from tests.factories import make_facility

pytestmark = pytest.mark.django_db


def _real_case(**fields) -> Case:
    now = timezone.now()
    return Case.objects.create(
        reference=f"999999-{now.year}-000001", category="other", description="real",
        channel="hotline", created_at=now, response_due_at=now, due_at=now,
        tracking_token="real-token", **fields,
    )


def test_it_removes_all_demo_rows_and_leaves_real_ones(small_demo):
    real_facility = make_facility(120.71, 30.77, name="真实驿站")
    real_case = _real_case(area=small_demo["330411"])
    CaseEvent.objects.create(
        case=real_case, kind="created", to_value="received", created_at=real_case.created_at
    )
    real_user = get_user_model().objects.create_user("demo-not-really", password="x")

    call_command("load_demo", "--remove", stdout=StringIO())

    assert not Facility.objects.filter(is_demo=True).exists()
    assert not Case.objects.filter(is_demo=True).exists()
    assert not CaseEvent.objects.filter(case__is_demo=True).exists()
    assert not Union.objects.filter(is_demo=True).exists()
    assert not StaffMember.objects.filter(is_demo=True).exists()
    assert not get_user_model().objects.filter(username="demo-330411").exists()
    assert not DemoLoad.objects.exists()
    assert list(Facility.objects.values_list("pk", "name")) == [(real_facility.pk, "真实驿站")]
    assert list(Case.objects.values_list("pk", flat=True)) == [real_case.pk]
    assert CaseEvent.objects.filter(case=real_case).count() == 1
    assert get_user_model().objects.filter(pk=real_user.pk).exists()
    assert Area.objects.count() == len(small_demo)  # areas are reference data, not demo data


def test_it_refuses_to_remove_a_union_real_cases_are_routed_to(small_demo):
    union = Union.objects.get(area__adcode="330411", is_demo=True)
    _real_case(area=small_demo["330411"], assigned_union=union)
    real_facility = make_facility(120.71, 30.77, kind=FacilityKind.REST_STATION, operator=union)
    before = Facility.objects.filter(is_demo=True).count()

    with pytest.raises(CommandError) as error:
        call_command("load_demo", "--remove", stdout=StringIO())

    message = str(error.value)
    assert "cases.Case" in message and "assigned_union" in message
    assert "stations.Facility" in message and "operator" in message
    assert Facility.objects.filter(is_demo=True).count() == before
    real_facility.refresh_from_db()
    assert real_facility.operator == union
