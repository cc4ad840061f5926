"""Which case events become which notifications: one table, one line per kind of event.

Keyed on CaseEvent's `kind` (and its `to_value` or the case's category where one kind of event
means several things), as strings, so kinds that other parts of the product add later (`assignee`)
and categories (`facility_problem`) need no import and no migration here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from cases.models import Case, CaseEvent
from notify.models import EmailKind, EventType

# Namespace of the events' ids: uuid5 of what the event is, so the dispatcher running over the
# same case event twice (after a crash) gives it the same id and the deliveries' unique
# constraints keep one of each.
EVENT_NAMESPACE = uuid.UUID("5b0f1d8e-3f1c-4f3e-9a57-77a1e0a4c0de")


@dataclass(frozen=True)
class Rule:
    event_type: str
    kind: str  # CaseEvent.kind
    to_value: str | None = None  # CaseEvent.to_value, when it decides
    category: str | None = None  # the case's category, when it decides
    email: str | None = None  # EmailKind sent for it, if any (notify.emails picks the people)

    def matches(self, event: CaseEvent) -> bool:
        return (
            event.kind == self.kind
            and (self.to_value is None or event.to_value == self.to_value)
            and (self.category is None or event.case.category == self.category)
        )


RULES = [
    Rule(EventType.CASE_CREATED, "created", email=EmailKind.CASE_CREATED),
    Rule(EventType.FACILITY_PROBLEM, "created", category="facility_problem"),
    Rule(EventType.CASE_ASSIGNED, "assignee", email=EmailKind.CASE_ASSIGNED),
    Rule(EventType.CASE_ESCALATED, "status", to_value="escalated", email=EmailKind.CASE_ESCALATED),
    Rule(EventType.CASE_TRANSFERRED, "status", to_value="transferred"),
    Rule(EventType.CASE_RESOLVED, "status", to_value="resolved"),
    Rule(EventType.CASE_RATED, "rating", email=EmailKind.LOW_RATING),
]


def rules_for(event: CaseEvent) -> list[Rule]:
    return [rule for rule in RULES if rule.matches(event)]


def event_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(EVENT_NAMESPACE, ":".join(str(p) for p in parts))


def iso(value: datetime | None) -> str | None:
    # In the site's time zone, as the API writes its times.
    return timezone.localtime(value).isoformat() if value is not None else None


def case_payload(case: Case) -> dict:
    union = case.assigned_union
    return {
        "id": case.pk,
        "reference": case.reference,
        "category": case.category,
        "status": case.status,
        "channel": case.channel,
        "area": case.area.adcode if case.area_id else None,
        "union": {"name": union.name, "adcode": union.area.adcode} if union is not None else None,
        "facility": case.facility_id,
        "created_at": iso(case.created_at),
        "response_due_at": iso(case.response_due_at),
        "due_at": iso(case.due_at),
    }


def payload(
    uid: uuid.UUID, event_type: str, case: Case, occurred_at: datetime, change: dict
) -> dict:
    """The JSON body of a webhook. The reporter's contact is in it only with their consent
    (`notify_me` at intake): it is for the union's SMS or WeChat gateway to tell them."""
    body = {
        "id": str(uid),
        "type": event_type,
        "occurred_at": iso(occurred_at),
        "case": case_payload(case),
        "change": change,
    }
    if case.notify_me:
        body["reporter"] = {"name": case.reporter_name, "phone": case.reporter_phone}
    return body


def event_payload(rule: Rule, event: CaseEvent) -> tuple[uuid.UUID, dict]:
    uid = event_id("caseevent", event.pk, rule.event_type)
    change = {
        "kind": event.kind,
        "from": event.from_value,
        "to": event.to_value,
        # Internal notes (public=False) stay in the back office.
        "note": event.note if event.public else "",
        "by": event.actor_label,
    }
    return uid, payload(uid, rule.event_type, event.case, event.created_at, change)
