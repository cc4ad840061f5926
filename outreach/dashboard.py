"""Public figures of a jurisdiction (the articles quote one-time resolution 98 %, 化解率 94.7 %,
handling time 15 -> 7 days; no union platform publishes these per area: ours does).

Only counts and rates of cases received in the window, never a field of a case: nothing here can
name a worker. Small counts are suppressed: a count of 1 to 4 is shown as "<5", and a rate, mean
or median is only given when it rests on at least 5 cases (a rate over 2 cases tells who).

- received: cases received; resolved: of those, carrying an answer now;
- one_time_resolution_rate: resolved without ever being reopened / resolved;
- on_time_rate: resolved by their deadline (resolved_at <= due_at) / resolved;
- mean_rating: over the rated ones; median_handling_days: received -> answer, resolved ones.

Complementary suppression: the total is published, so a breakdown (months, categories, sub-areas)
with a single "<5" row would give it away by subtraction; the smallest other count is then
withheld too (null in the API, "—" on the page).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, CharField, Count, F, Func, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Case, Category
from cases.stats import Hours, Median
from stations.models import Area

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
MONTHS = 12


def _metrics() -> dict:
    resolved = Q(resolved_at__isnull=False)
    return {
        "received": Count("id"),
        "resolved": Count("id", filter=resolved),
        "first_time": Count("id", filter=resolved & Q(reopen_count=0)),
        "on_time": Count("id", filter=resolved & Q(resolved_at__lte=F("due_at"))),
        "rated": Count("id", filter=Q(rating__isnull=False)),
        "mean_rating": Avg("rating"),
        "median_hours": Median(Hours(F("resolved_at"), F("created_at")), filter=resolved),
    }


def count(n: int) -> int | str:
    return SUPPRESSED if 0 < n < SUPPRESS_BELOW else n


def publish(row: dict) -> dict:
    """The public form of one row of `_metrics`: suppressed counts, rates on >= 5 cases only."""
    resolved, rated = row["resolved"], row["rated"]
    enough = resolved >= SUPPRESS_BELOW
    return {
        "received": count(row["received"]),
        "resolved": count(resolved),
        "one_time_resolution_rate": round(row["first_time"] / resolved, 3) if enough else None,
        "on_time_rate": round(row["on_time"] / resolved, 3) if enough else None,
        "mean_rating": round(row["mean_rating"], 2) if rated >= SUPPRESS_BELOW else None,
        "median_handling_days": (
            round(row["median_hours"] / 24, 1) if enough and row["median_hours"] is not None
            else None
        ),
    }


def protect(rows: list[dict], keys: tuple[str, ...] = ("received", "resolved")) -> list[dict]:
    """Withhold the smallest shown count beside a lone suppressed one (see module doc)."""
    for key in keys:
        if sum(row[key] == SUPPRESSED for row in rows) == 1:
            shown = [row for row in rows if isinstance(row[key], int) and row[key] > 0]
            if shown:
                min(shown, key=lambda row: row[key])[key] = None
    return rows


def window_start(now: datetime) -> datetime:
    """The first day (local midnight) of the month MONTHS - 1 months before now's."""
    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1 - (MONTHS - 1)
    return local.replace(
        year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0
    )


def figures(area: Area, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    since = window_start(now)
    cases: QuerySet = Case.objects.in_area(area).filter(created_at__gte=since, created_at__lt=now)
    cases = cases.order_by()
    tz = timezone.get_default_timezone()
    months = (
        cases.annotate(month=TruncMonth("created_at", tzinfo=tz)).values("month")
        .annotate(**_metrics()).order_by("month")
    )
    categories = cases.values("category").annotate(**_metrics()).order_by("category")
    labels = dict(Category.choices)
    segment = area.depth + 2  # split_part is 1-based: the direct sub-area's adcode
    bucket = Func(F("area__path"), Value("/"), Value(segment), function="split_part",
                  output_field=CharField())
    subs = (
        cases.annotate(sub=bucket).exclude(sub="").values("sub").annotate(**_metrics())
        .order_by("sub")
    )
    sub_rows = list(subs)
    names = dict(
        Area.objects.filter(adcode__in=[r["sub"] for r in sub_rows]).values_list("adcode", "name")
    )
    return {
        "area": {"adcode": area.adcode, "name": area.name, "name_en": area.name_en,
                 "level": area.level},
        "since": since,
        "until": now,
        "suppressed_below": SUPPRESS_BELOW,
        "totals": publish(cases.aggregate(**_metrics())),
        "by_month": protect([
            {"month": timezone.localtime(r["month"], tz).strftime("%Y-%m"), **publish(r)}
            for r in months
        ]),
        "by_category": protect([
            {"category": r["category"], "label": str(labels.get(r["category"], r["category"])),
             **publish(r)}
            for r in categories
        ]),
        "sub_areas": protect([
            {"adcode": r["sub"], "name": names.get(r["sub"], ""), **publish(r)} for r in sub_rows
        ]),
    }
