"""The back office: filters, a map-attached location that routes, events read-only, actions."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseEvent, EventKind, Status
from tests.factories import make_case, make_staff

from .helpers import new_case

CHANGELIST = "admin:cases_case_changelist"


@pytest.fixture
def root(client, db):
    user = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(user)
    return user


def _listed(client, **params) -> set[str]:
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return {case.reference for case in response.context["cl"].result_list}


def test_the_changelist_filters_by_status_area_channel_and_overdue(client, root, tree):
    late = make_case(area=tree.a, union=tree.a.union, status="accepted",
                     created_at=timezone.now() - timedelta(days=9))
    fresh = make_case(area=tree.b, union=tree.b.union, channel="visit")
    elsewhere = make_case(area=tree.e, union=tree.p.union)

    assert _listed(client) == {late.reference, fresh.reference, elsewhere.reference}
    assert _listed(client, overdue="yes") == {late.reference}
    assert _listed(client, overdue="no") == {fresh.reference, elsewhere.reference}
    assert _listed(client, area=tree.c.adcode) == {late.reference, fresh.reference}
    assert _listed(client, status__exact="accepted") == {late.reference}
    assert _listed(client, channel__exact="visit") == {fresh.reference}


def test_union_staff_see_only_their_jurisdiction_in_the_back_office(client, tree):
    mine = make_case(area=tree.a, union=tree.a.union)
    theirs = make_case(area=tree.b, union=tree.b.union)
    officer = make_staff(tree.a.union)
    permissions = Permission.objects.filter(codename__in=["view_case", "change_case"])
    officer.user_permissions.add(*permissions)
    client.force_login(officer)

    assert _listed(client) == {mine.reference}
    change = reverse("admin:cases_case_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # admin redirects a missing object to the index


def _form(case: Case, **changes) -> dict:
    events = case.events.count()
    return {
        "category": case.category, "description": case.description, "address": case.address,
        "facility": "", "location": "",
        "events-TOTAL_FORMS": events, "events-INITIAL_FORMS": events,
        "events-MIN_NUM_FORMS": 0, "events-MAX_NUM_FORMS": 1000,
        **changes,
    }


def test_a_location_set_on_the_map_routes_a_received_case_with_events(client, root, tree):
    # Entered at the city's reception day without a place: the city's until it is placed.
    case = new_case(None, channel="reception_day", staff=make_staff(tree.c.union))
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"location" in page.content

    response = client.post(url, _form(case, location="SRID=4326;POINT (103 1)"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert (case.area, case.assigned_union, case.location_source) == (
        tree.b, tree.b.union, "staff_map"
    )
    kinds = set(CaseEvent.objects.filter(case=case, actor=root).values_list("kind", flat=True))
    assert kinds == {EventKind.LOCATION, EventKind.ASSIGNMENT}


def test_the_change_page_lists_the_events_read_only(client, root, tree):
    case = new_case(Point(101, 1, srid=4326))

    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))

    inline = response.context["inline_admin_formsets"][0]
    assert inline.formset.model is CaseEvent
    assert not inline.has_add_permission and not inline.has_change_permission
    assert not inline.has_delete_permission
    assert "routed by location" in response.content.decode()  # the assignment event's note


def _run_action(client, action, cases, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": f"perform_{action}", "_selected_action": [c.pk for c in cases], **extra},
        follow=True,
    )


def test_actions_run_the_workflow_and_write_events(client, root, tree):
    cases = [new_case(Point(101, 1, srid=4326)), new_case(Point(103, 1, srid=4326))]

    _run_action(client, "accept", cases)
    _run_action(client, "resolve", cases, note="已处理 handled")

    for case in cases:
        case.refresh_from_db()
        assert case.status == Status.RESOLVED and case.resolution == "已处理 handled"
        steps = CaseEvent.objects.filter(case=case, kind=EventKind.STATUS, actor=root)
        assert list(steps.values_list("to_value", flat=True)) == ["accepted", "resolved"]


def test_an_action_the_status_refuses_is_reported_and_changes_nothing(client, root, tree):
    case = new_case(Point(101, 1, srid=4326))

    response = _run_action(client, "close", [case])
    without_note = _run_action(client, "reject", [case])

    messages = [str(m) for m in response.context["messages"]]
    assert any(case.reference in m for m in messages)
    assert any(case.reference in str(m) for m in without_note.context["messages"])
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.STATUS).exists()


def test_cases_are_not_added_or_deleted_in_the_back_office(client, root, tree):
    assert client.get(reverse("admin:cases_case_add")).status_code == 403
    case = new_case(Point(101, 1, srid=4326))
    assert client.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403


def test_a_place_outside_every_area_is_a_field_error_not_a_failure(client, root, tree):
    case = new_case(Point(101, 1, srid=4326))
    url = reverse("admin:cases_case_change", args=[case.pk])

    response = client.post(url, _form(case, location="SRID=4326;POINT (-30 1)"))

    assert response.status_code == 200
    assert "location" in response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.location.x == 101
