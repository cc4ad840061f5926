"""Case statistics per area, in one grouped SQL query (plus one for the total).

All figures cover the cases *received* in the window [since, until):
- received: how many;
- resolved: how many now carry an answer (resolved, or closed after resolving; a reopened case
  counts again once it is re-resolved);
- first_time_resolution_rate: resolved without ever being reopened / resolved (Xiuzhou's
  "98 % at the first attempt");
- median/mean_handling_hours: received -> latest resolution, over the resolved ones;
- overdue: still open (transferred ones included) and past their resolution deadline now;
- response_overdue: still open, never answered, and past their response deadline now;
- mean_rating: over the rated ones.

Rows are the direct sub-areas of the area asked for (a city gives a row per district), each
rolling up its own sub-areas; cases located in the area itself, not in a sub-area, get the area's
own row. Without an area, rows are the top-level areas (provinces).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    Aggregate,
    Avg,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from cases.models import OPEN_STATUSES, CaseQuerySet
from stations.models import Area


class Median(Aggregate):
    """percentile_cont(0.5): the interpolated median, as PostgreSQL computes it."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Hours(Func):
    """The hours between two timestamps, as a float."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)"
    arg_joiner = " - "
    output_field = FloatField()


def metrics(now: datetime) -> dict:
    resolved = Q(resolved_at__isnull=False)
    handling = Hours(F("resolved_at"), F("created_at"))
    return {
        "received": Count("id"),
        "resolved": Count("id", filter=resolved),
        "first_time_resolution_rate": Cast(
            Count("id", filter=resolved & Q(reopen_count=0)), FloatField()
        )
        / NullIf(Count("id", filter=resolved), 0),
        "median_handling_hours": Median(handling, filter=resolved),
        "mean_handling_hours": Avg(handling, filter=resolved),
        "overdue": Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        "response_overdue": Count("id", filter=Q(
            status__in=OPEN_STATUSES, responded_at__isnull=True, response_due_at__lt=now
        )),
        "mean_rating": Avg("rating"),
    }


def in_window(
    cases: CaseQuerySet, area: Area | None, since: datetime | None, until: datetime | None
) -> CaseQuerySet:
    if area is not None:
        cases = cases.in_area(area)
    if since is not None:
        cases = cases.filter(created_at__gte=since)
    if until is not None:
        cases = cases.filter(created_at__lt=until)
    return cases


def per_area(cases: CaseQuerySet, area: Area | None, now: datetime) -> QuerySet:
    """Rows of {"area": adcode, **metrics}, one per direct sub-area of `area` (see module doc)."""
    # Path "330000/330400/330411/": the sub-area of an area at depth d is path segment d + 2.
    segment = area.depth + 2 if area is not None else 1
    bucket = Func(
        F("area__path"), Value("/"), Value(segment), function="split_part", output_field=CharField()
    )
    if area is not None:
        bucket = Coalesce(NullIf(bucket, Value("")), Value(area.adcode))
    return (
        cases.order_by()
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(**metrics(now))
        .order_by(F("bucket").asc(nulls_last=True))
    )


def per_assignee(cases: CaseQuerySet, now: datetime) -> QuerySet:
    """Rows of {"assignee": username or None, **metrics}, one per named handler (and one for
    the cases nobody handles yet), in the order of usernames."""
    return (
        cases.order_by()
        .values(assignee_name=F("assignee__username"))
        .annotate(**metrics(now))
        .order_by(F("assignee_name").asc(nulls_last=True))
    )


def total(cases: CaseQuerySet, now: datetime) -> dict:
    return cases.order_by().aggregate(**metrics(now))


def named(rows: list[dict]) -> list[dict]:
    """The rows of one page with `area` (adcode) and `name`: one query for the page's areas."""
    codes = [row["bucket"] for row in rows]
    names = dict(Area.objects.filter(adcode__in=codes).values_list("adcode", "name"))
    return [{"area": row["bucket"], "name": names.get(row["bucket"]), **row} for row in rows]
