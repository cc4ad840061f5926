"""Scheduled work: the deadline sweep (`case.overdue`) and the daily digest per union."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import OPEN_STATUSES, Case, CaseQuerySet, Status
from notify import emails, events
from notify.dispatch import EVENTS_CURSOR, FanOut, cursor
from notify.models import (
    Deadline,
    Delivery,
    DeliveryStatus,
    DigestRun,
    EmailKind,
    EventType,
    OverdueNotice,
)
from stations.models import Union

SWEEP_CURSOR = "deadline-sweep"


def _past(deadline: str, field: str, now: datetime, started: datetime) -> CaseQuerySet:
    noticed = OverdueNotice.objects.filter(
        case_pk=OuterRef("pk"), deadline=deadline, due_at=OuterRef(field)
    )
    return (
        Case.objects.filter(status__in=OPEN_STATUSES, **{f"{field}__lt": now})
        # Demo cases past their deadline before notifications started are history, not news.
        .filter(Q(is_demo=False) | Q(**{f"{field}__gte": started}))
        .exclude(Exists(noticed))
        .select_related("area", "assigned_union__area")
        .defer("area__boundary", "assigned_union__area__boundary")
    )


def overdue_cases(now: datetime, started: datetime) -> list[tuple[str, str, Case]]:
    """(deadline, field, case) for every open case past a deadline not yet announced."""
    response = _past(Deadline.RESPONSE, "response_due_at", now, started).filter(
        responded_at__isnull=True
    )
    resolution = _past(Deadline.RESOLUTION, "due_at", now, started)
    return [(Deadline.RESPONSE, "response_due_at", c) for c in response] + [
        (Deadline.RESOLUTION, "due_at", c) for c in resolution
    ]


def sweep(now: datetime | None = None) -> int:
    """Emit `case.overdue` once per case and deadline; returns how many it emitted.

    Serialised by the sweep cursor's row lock, so two workers sweeping at once cannot both find
    a deadline unannounced; the notices' unique constraint holds it whatever runs the SQL.
    """
    now = now or timezone.now()
    with transaction.atomic():
        cursor(SWEEP_CURSOR)
        started = cursor(EVENTS_CURSOR).started_at
        found = overdue_cases(now, started)
        fan = FanOut()
        notices = []
        for deadline, field, case in found:
            due_at = getattr(case, field)
            notices.append(OverdueNotice(case_pk=case.pk, deadline=deadline, due_at=due_at))
            uid = events.event_id("overdue", case.pk, deadline, due_at.isoformat())
            body = events.payload(uid, EventType.CASE_OVERDUE, case, now, {
                "kind": "overdue", "deadline": deadline, "due_at": events.iso(due_at),
            })
            fan.webhooks(uid, EventType.CASE_OVERDUE, case, body)
            for address in fan.recipients.of_union(case.assigned_union_id, EmailKind.CASE_OVERDUE):
                fan.email(uid, EventType.CASE_OVERDUE, case, address,
                          emails.case_email(EmailKind.CASE_OVERDUE, case, deadline_label(deadline)))
        OverdueNotice.objects.bulk_create(notices)
        fan.save()
    return len(found)


def deadline_label(deadline: str) -> str:
    return str(Deadline(deadline).label)


def waiting_cases(union: Union) -> CaseQuerySet:
    """Open cases of a union that nobody has taken on yet: by the `assignee` field where the
    staff workspace has added it, otherwise those still only received."""
    cases = Case.objects.filter(assigned_union=union)
    if any(f.name == "assignee" for f in Case._meta.concrete_fields):
        return cases.filter(status__in=OPEN_STATUSES, assignee__isnull=True)
    return cases.filter(status=Status.RECEIVED)


def send_digests(now: datetime | None = None) -> int:
    """Once a day from NOTIFY_DIGEST_HOUR (local time): each union's staff get what is overdue
    and what waits for someone to take it on. Returns how many unions got one."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFY_DIGEST_HOUR:
        return 0
    sent = 0
    done = DigestRun.objects.filter(union=OuterRef("pk"), date=local.date())
    for union in Union.objects.exclude(Exists(done)).only("pk", "name"):
        with transaction.atomic():
            _run, created = DigestRun.objects.get_or_create(union=union, date=local.date())
            if not created:
                continue  # another worker got there first
            overdue = list(Case.objects.filter(assigned_union=union).overdue(now).order_by("due_at"))
            waiting = list(waiting_cases(union).order_by("created_at"))
            if not overdue and not waiting:
                continue
            fan = FanOut()
            uid = events.event_id("digest", union.pk, local.date().isoformat())
            mail = emails.digest_email(union.name, overdue, waiting)
            for address in fan.recipients.of_union(union.pk, EmailKind.DIGEST):
                fan.email(uid, "digest", None, address, mail)
            fan.save()
            sent += 1
    return sent


def prune(now: datetime | None = None) -> int:
    """Forget deliveries made more than NOTIFY_KEEP_DAYS ago (with their attempts). Pending ones
    are kept however old: a paused webhook's deliveries wait for it."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NOTIFY_KEEP_DAYS)
    deleted, _by_model = Delivery.objects.filter(
        status=DeliveryStatus.DELIVERED, delivered_at__lt=cutoff
    ).delete()
    return deleted
