"""Demo cases look like a year of real work: every channel and category, ~7 days, some overdue."""

import statistics
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from cases.models import (
    OPEN_STATUSES,
    REOPENING_RATING,
    TRANSITIONS,
    Case,
    CaseEvent,
    Category,
    Channel,
    Status,
)

pytestmark = pytest.mark.django_db


def test_it_uses_every_channel_and_category_over_the_past_year(small_demo):
    cases = Case.objects.filter(is_demo=True)
    assert set(cases.values_list("channel", flat=True)) == set(Channel.values)
    assert set(cases.values_list("category", flat=True)) == set(Category.values)
    now = timezone.now()
    oldest = cases.order_by("created_at").first().created_at
    assert now - timedelta(days=366) < oldest < now - timedelta(days=300)
    assert not cases.filter(created_at__gt=now).exists()


def test_it_handles_cases_in_about_seven_days(small_demo):
    durations = [
        (resolved - created).total_seconds() / 86400
        for created, resolved in Case.objects.filter(is_demo=True, resolved_at__isnull=False)
        .values_list("created_at", "resolved_at")
    ]
    assert 5 <= statistics.median(durations) <= 9


def test_it_leaves_some_cases_overdue_now(small_demo):
    cases = Case.objects.filter(is_demo=True)
    overdue = cases.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now()).count()
    assert 0 < overdue < 0.1 * cases.count()
    assert cases.filter(status__in=OPEN_STATUSES, due_at__gte=timezone.now()).exists()


def test_it_rates_only_resolved_cases(small_demo):
    cases = Case.objects.filter(is_demo=True)
    rated = cases.filter(rating__isnull=False)
    assert rated.count() > 0.5 * cases.filter(resolved_at__isnull=False).count()
    assert not rated.filter(resolved_at__isnull=True).exists()
    # a rating older than the answer is the one that reopened the case (1 or 2)
    earlier = rated.filter(rated_at__lt=F("resolved_at"))
    assert not earlier.filter(reopen_count=0).exists()
    assert not rated.filter(rating__lte=REOPENING_RATING, reopen_count=0).exists()
    assert set(rated.values_list("rating", flat=True)) == {1, 2, 3, 4, 5}


def test_it_writes_deadlines_references_and_tokens_like_intake(small_demo):
    cases = Case.objects.filter(is_demo=True).select_related("area")
    for case in cases[:200]:
        assert case.reference.startswith(f"{case.area.adcode}-{case.created_at.astimezone().year}-")
        assert case.response_due_at > case.created_at and case.due_at > case.response_due_at
        assert len(case.tracking_token) >= 32
    assert cases.values("reference").distinct().count() == cases.count()
    assert cases.values("tracking_token").distinct().count() == cases.count()


def test_it_gives_every_case_a_consistent_event_trail(small_demo):
    # Per case: the first event is `created` at the case's creation; the status events chain
    # (each one's from_value is the previous to_value, starting at received) and end at the
    # case's status; the case's resolved_at is the time of its last `resolved` event.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH ev AS (
                SELECT e.case_id, e.kind, e.from_value, e.to_value, e.created_at,
                       row_number() OVER (PARTITION BY e.case_id ORDER BY e.created_at, e.id) AS n,
                       lag(e.to_value) OVER s AS previous,
                       row_number() OVER (PARTITION BY e.case_id, e.kind = 'status'
                                          ORDER BY e.created_at DESC, e.id DESC) AS from_end
                FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id AND c.is_demo
                WINDOW s AS (PARTITION BY e.case_id, e.kind = 'status' ORDER BY e.created_at, e.id)
            ), per_case AS (
                SELECT case_id,
                       bool_or(n = 1 AND kind = 'created') AS starts_created,
                       min(created_at) FILTER (WHERE n = 1) AS first_at,
                       bool_and(kind <> 'status' OR from_value = coalesce(previous, 'received'))
                           AS chained,
                       max(to_value) FILTER (WHERE kind = 'status' AND from_end = 1) AS last_status,
                       max(created_at) FILTER (WHERE kind = 'status' AND to_value = 'resolved')
                           AS last_resolved
                FROM ev GROUP BY case_id
            )
            SELECT c.reference FROM cases_case c LEFT JOIN per_case p ON p.case_id = c.id
            WHERE c.is_demo AND (
                p.starts_created AND p.first_at = c.created_at AND p.chained
                AND coalesce(p.last_status, 'received') = c.status
                AND c.resolved_at IS NOT DISTINCT FROM
                    (CASE WHEN c.status IN ('resolved', 'closed') THEN p.last_resolved END)
            ) IS NOT TRUE
            LIMIT 5
            """
        )
        assert cursor.fetchall() == []
    rated_by_events = CaseEvent.objects.filter(case__is_demo=True, kind="rating")
    assert rated_by_events.values("case").distinct().count() == (
        Case.objects.filter(is_demo=True, rating__isnull=False).count()
    )
    statuses = set(Case.objects.filter(is_demo=True).values_list("status", flat=True))
    assert {Status.CLOSED, Status.IN_PROGRESS, Status.ESCALATED, Status.TRANSFERRED} <= statuses


def test_it_only_takes_steps_the_workflow_allows(small_demo):
    allowed = {(source, rule.target) for rule in TRANSITIONS.values() for source in rule.sources}
    steps = set(
        CaseEvent.objects.filter(case__is_demo=True, kind="status").values_list("from_value", "to_value")
    )
    assert steps <= allowed
    assert len(steps) >= 10
    # an escalation hands the case to the union above, with an assignment event
    escalated = Case.objects.filter(is_demo=True, events__to_value=Status.ESCALATED).distinct()
    assert escalated.exists()
    for case in escalated[:20]:
        assert case.assigned_union.area.depth < case.area.depth
        assert case.events.filter(kind="assignment", to_value=case.assigned_union.name).exists()
