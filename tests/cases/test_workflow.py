"""Transitions: the table decides, each step is an event, and refusals write nothing."""

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from cases.models import (
    TRANSITIONS,
    Case,
    CaseEvent,
    Department,
    EventKind,
    Status,
    allowed_actions,
)
from tests.factories import make_staff

from .helpers import act, new_case


@pytest.fixture
def case(tree):
    return new_case(Point(101, 1, srid=4326))


@pytest.fixture
def staff(api, tree):
    user = make_staff(tree.a.union)
    api.force_authenticate(user)
    return user


def _status_events(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=EventKind.STATUS).values_list(
            "from_value", "to_value", "note", "actor_id"
        )
    )


def test_it_walks_the_usual_path_with_an_event_for_each_step(api, case, staff):
    for action, data in [
        ("accept", {}),
        ("start", {"note": "已联系平台 called the platform"}),
        ("resolve", {"note": "已补发工资 wages paid"}),
        ("close", {}),
    ]:
        response = act(api, case, action, **data)
        assert response.status_code == 200, response.json()

    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.resolution == "已补发工资 wages paid"
    assert case.responded_at <= case.resolved_at <= case.closed_at
    assert _status_events(case) == [
        ("received", "accepted", "", staff.pk),
        ("accepted", "in_progress", "已联系平台 called the platform", staff.pk),
        ("in_progress", "resolved", "已补发工资 wages paid", staff.pk),
        ("resolved", "closed", "", staff.pk),
    ]
    assert response.json()["properties"]["allowed_actions"] == ["reopen"]


def test_it_answers_409_with_the_allowed_actions_and_writes_nothing(api, case, staff):
    before = CaseEvent.objects.filter(case=case).count()

    response = act(api, case, "close")

    assert response.status_code == 409
    body = response.json()
    assert "action" in body["errors"]
    assert body["status"] == "received"
    assert body["allowed_actions"] == allowed_actions("received")
    assert set(body["allowed_actions"]) == {"accept", "escalate", "transfer", "reject", "take_over"}
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert CaseEvent.objects.filter(case=case).count() == before


@pytest.mark.parametrize(("action", "field"), [("resolve", "note"), ("reject", "note"),
                                               ("transfer", "department")])
def test_it_requires_the_input_an_action_cannot_do_without(api, case, staff, action, field):
    if action == "resolve":
        act(api, case, "accept")
    before = CaseEvent.objects.filter(case=case).count()

    response = act(api, case, action, note="  ")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert CaseEvent.objects.filter(case=case).count() == before


def test_the_model_refuses_a_resolution_without_an_answer_too(case):
    case.accept()
    with pytest.raises(ValidationError) as exc:
        case.resolve(note="")
    assert "note" in exc.value.message_dict


def test_it_rejects_an_unknown_action_with_400(api, case, staff):
    response = act(api, case, "archive")

    assert response.status_code == 400 and "action" in response.json()["errors"]


def test_transfer_records_the_department(api, case, staff, tree):
    department = Department.objects.create(area=tree.a, name="区人社局劳动监察大队")

    response = act(api, case, "transfer", department=department.pk, note="欠薪线索")

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.TRANSFERRED and case.transferred_to == "区人社局劳动监察大队"
    assert case.department == department
    assignment = CaseEvent.objects.get(case=case, kind=EventKind.ASSIGNMENT, actor=staff)
    assert (assignment.from_value, assignment.to_value) == ("A区总工会", "区人社局劳动监察大队")
    # The union stays accountable: it relays the department's answer.
    assert act(api, case, "resolve", note="人社局已责令支付").status_code == 200


def test_reject_gives_the_worker_the_reason(api, case, staff):
    act(api, case, "reject", note="不属于工会职责 not a union matter")

    event = CaseEvent.objects.get(case=case, kind=EventKind.STATUS)
    assert (event.to_value, event.note, event.public) == (
        "rejected", "不属于工会职责 not a union matter", True
    )


def test_staff_reopen_counts_and_gives_a_fresh_deadline(api, case, staff):
    act(api, case, "accept")
    act(api, case, "resolve", note="done")
    case.refresh_from_db()
    old_due = case.due_at

    response = act(api, case, "reopen", note="worker called back")

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.REOPENED and case.reopen_count == 1
    assert case.resolved_at is None and case.resolution == ""
    assert case.due_at > old_due
    # The earlier answer is not lost: it stays in the events.
    assert CaseEvent.objects.filter(case=case, note="done", to_value="resolved").exists()


def test_every_action_of_the_table_is_a_model_method():
    for action, rule in TRANSITIONS.items():
        assert callable(getattr(Case, str(action)))
        # None: the action changes who holds the case, not its status (take_over).
        assert rule.target in [*Status.values, None] and rule.sources <= set(Status.values)


def test_events_cannot_be_edited_or_deleted(case):
    event = case.events.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    assert CaseEvent.objects.filter(pk=event.pk, note=event.note).exists()
