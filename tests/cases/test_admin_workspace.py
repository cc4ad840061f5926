"""The case page as a workspace: the allowed actions as buttons (from TRANSITIONS, for whoever
may act), run from the page; the queue sorted by urgency; area filters within the jurisdiction."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Department, Status
from tests.factories import make_case, make_staff

from .helpers import new_case


def back_office(union, username=None) -> tuple[Client, object]:
    user = make_staff(union, username=username)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="cases", codename__in=["view_case", "change_case"]
    ))
    client = Client()
    client.force_login(user)
    return client, user


def buttons(client, case) -> list[str]:
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert page.status_code == 200
    return [action for action, _label, _requires in page.context["workspace"]["actions"]]


def act(client, case, action, **data):
    return client.post(
        reverse("admin:cases_case_act", args=[case.pk]), {"action": action, **data}, follow=True
    )


def test_the_holder_gets_the_statuss_actions_and_a_parent_only_take_over(tree):
    case = new_case(Point(101, 1, srid=4326))
    district, _ = back_office(tree.a.union)
    city, _ = back_office(tree.c.union)

    assert buttons(district, case) == ["accept", "escalate", "transfer", "reject"]
    assert buttons(city, case) == ["take_over"]


def test_buttons_run_the_workflow_with_their_inline_fields(tree):
    case = new_case(Point(101, 1, srid=4326))
    department = Department.objects.create(area=tree.c, name="市人社局")
    district, li = back_office(tree.a.union, username="li")

    act(district, case, "accept")
    act(district, case, "transfer", department=department.pk, note="欠薪 wage arrears")

    case.refresh_from_db()
    assert (case.status, case.assignee, case.department) == (Status.TRANSFERRED, li, department)
    assert buttons(district, case) == ["accept", "resolve"]


def test_a_refused_button_says_why_and_changes_nothing(tree):
    case = new_case(Point(101, 1, srid=4326))
    city, _ = back_office(tree.c.union)

    response = act(city, case, "accept")

    messages = [str(m) for m in response.context["messages"]]
    assert any("A区总工会" in m for m in messages)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_the_queue_is_overdue_first_then_by_deadline(tree):
    now = timezone.now()
    done = make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=30),
                     status="closed")
    later = make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=1))
    sooner = make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=5))
    late = make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=9))
    client, _ = back_office(tree.a.union)

    page = client.get(reverse("admin:cases_case_changelist"))

    shown = [case.reference for case in page.context["cl"].result_list]
    assert shown == [late.reference, sooner.reference, later.reference, done.reference]


def test_the_area_filter_offers_only_the_jurisdiction(tree):
    client, _ = back_office(tree.c.union)

    page = client.get(reverse("admin:cases_case_changelist"))

    specs = page.context["cl"].filter_specs
    area_filter = next(f for f in specs if getattr(f, "parameter_name", "") == "area")
    offered = {code for code, _name in area_filter.lookup_choices}
    assert offered == {tree.c.adcode, tree.a.adcode, tree.b.adcode}
