from cases.models import Case, CaseEvent, Department
from notify.events import rules_for
from tests.cases.helpers import inside, new_case
from tests.notify.helpers import district, pump, subscribe

ALL = [
    "case.created", "case.escalated", "case.transferred", "case.resolved", "case.rated",
    "case.assigned", "facility.problem_reported",
]


def test_workflow_changes_become_their_events(db, receiver):
    d = district()
    subscribe(receiver.url, *ALL)
    case = new_case(inside(d.area))
    case.escalate(note="上报 up")
    case.accept()
    # A transfer names a department of the jurisdiction's list (cases.models.Department).
    department = Department.objects.create(
        area=case.assigned_union.home_area, name="人社局 labour bureau"
    )
    case.transfer(note="转人社局", department=department)
    case.resolve(note="已解决 solved")
    case.rate(4, "好 good")
    pump()
    assert [hit.json["type"] for hit in receiver.received] == [
        "case.created", "case.escalated", "case.transferred", "case.resolved", "case.rated",
    ]
    rated = receiver.received[-1].json
    assert rated["change"]["to"] == "4" and rated["case"]["reference"] == case.reference


def test_a_created_facility_problem_is_also_a_facility_event():
    case = Case(category="facility_problem")
    event = CaseEvent(case=case, kind="created", to_value="received")
    assert [r.event_type for r in rules_for(event)] == ["case.created", "facility.problem_reported"]


def test_an_assignee_event_is_case_assigned():
    event = CaseEvent(case=Case(category="other"), kind="assignee", to_value="7")
    assert [r.event_type for r in rules_for(event)] == ["case.assigned"]
