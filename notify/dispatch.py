"""The dispatcher: turns new case events into deliveries, past a high-water mark.

The outbox is `cases_caseevent`: written in the same statement or transaction as the case change,
so a change that rolls back leaves no event, and intake pays for no extra write.

The high-water mark and concurrent transactions: event ids come from one sequence and are taken
before commit, so an id can become visible after a higher one. Reading "id > mark" and moving the
mark to the highest id seen would skip the late one for ever. So the dispatcher only moves the mark
over a run of consecutive ids; at a hole it stops, and waits until the event after the hole is
older than NOTIFY_GAP_GRACE_SECONDS: the writers here commit within milliseconds of taking an id
(intake is one statement; a transition takes its ids after its row lock), so a hole that old is an
id a rolled-back transaction (or a duplicate intake) consumed, and is passed over. `created_at` is
the writing process's clock, so web servers and workers must keep time (NTP) to within the grace.
Alternatives weighed: a transaction-id column (`pg_current_xact_id()`) on the events, ordered by
the snapshot's xmin, is exact but adds a column and a cast to every intake; reading only events
older than a fixed margin delays every notification by the margin, not only those after a hole.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseEvent
from notify import emails, events
from notify.models import Cursor, Delivery, EmailKind, Subscription

if TYPE_CHECKING:
    import uuid

EVENTS_CURSOR = "case-events"
BATCH = 500


def cursor(name: str) -> Cursor:
    """The named cursor row, locked for this transaction (one dispatcher or sweep at a time)."""
    Cursor.objects.get_or_create(name=name)
    return Cursor.objects.select_for_update().get(name=name)


def settled(batch: list[CaseEvent], last_id: int, now: datetime) -> list[CaseEvent]:
    """The events of `batch` (ascending ids, all > last_id) the mark may move over (see above)."""
    grace = timedelta(seconds=settings.NOTIFY_GAP_GRACE_SECONDS)
    ready, expected = [], last_id + 1
    for event in batch:
        if event.pk != expected and event.created_at > now - grace:
            break  # a hole that may still be an open transaction: wait for it
        ready.append(event)
        expected = event.pk + 1
    return ready


def dispatch(now: datetime | None = None) -> int:
    """Fan out the next batch of settled events; returns how many events it passed."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = cursor(EVENTS_CURSOR)
        batch = list(
            CaseEvent.objects.filter(pk__gt=mark.last_event_id)
            .select_related("case__area", "case__assigned_union__area")
            .defer("case__area__boundary", "case__assigned_union__area__boundary")
            .order_by("pk")[:BATCH]
        )
        ready = settled(batch, mark.last_event_id, now)
        if not ready:
            return 0
        fan = FanOut()
        for event in ready:
            # Demo data loaded before notifications started is history, not news.
            if event.case.is_demo and event.created_at < mark.started_at:
                continue
            for rule in events.rules_for(event):
                uid, body = events.event_payload(rule, event)
                fan.webhooks(uid, rule.event_type, event.case, body)
                if rule.email:
                    for address in fan.recipients.for_event(rule.email, event):
                        fan.email(uid, rule.event_type, event.case, address,
                                  emails.case_email(rule.email, event.case, _detail(rule, event)))
        fan.save()
        mark.last_event_id = ready[-1].pk
        mark.save(update_fields=["last_event_id"])
    return len(ready)


def _detail(rule: events.Rule, event: CaseEvent) -> str:
    if rule.email == EmailKind.LOW_RATING:
        return f"{event.to_value}/5 {event.note}".strip()
    return ""


class FanOut:
    """Deliveries for one pass, written with one INSERT that skips those already there."""

    def __init__(self) -> None:
        self.subscriptions = list(
            Subscription.objects.filter(is_active=True).select_related("union__area")
            .defer("union__area__boundary")
        )
        self.recipients = emails.Recipients()
        self.rows: list[Delivery] = []

    def webhooks(self, uid: uuid.UUID, event_type: str, case: Case, body: dict) -> None:
        # A paused subscription still gets its deliveries, held until it is resumed.
        for sub in self.subscriptions:
            if sub.wants(event_type) and sub.covers(case):
                self.rows.append(Delivery(
                    event_id=uid, event_type=event_type, case_pk=case.pk,
                    case_reference=case.reference, subscription=sub, payload=body,
                ))

    def email(
        self, uid: uuid.UUID, event_type: str, case: Case | None, address: str, mail: emails.Email
    ) -> None:
        self.rows.append(Delivery(
            event_id=uid, event_type=event_type,
            case_pk=case.pk if case else None, case_reference=case.reference if case else "",
            recipient=address, payload={"subject": mail.subject, "body": mail.body},
        ))

    def save(self) -> None:
        Delivery.objects.bulk_create(self.rows, ignore_conflicts=True)
