"""Reviews of the visit ledger (越城: weekly notes, monthly exchange, quarterly analysis, annual
review): visits per staff member and week against the union's target, enterprises visited,
key enterprises not visited this quarter, issues raised and solved and the 化解率, per sub-area.

Definitions, all over visits dated in [start, end):
- issues raised: cases linked to those visits (VisitIssue); solved: those carrying an answer now
  (resolved_at set: resolved, or closed after resolving);
- resolution_rate (化解率): solved / raised, None when nothing was raised;
- a sub-area is the direct sub-area (by area path) holding the enterprise; enterprises in the
  area itself (towns and streets have no boundaries) are grouped by their `street`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from outreach import periods
from outreach.models import Enterprise, Visit, VisitTarget
from stations.models import Area


def _rate(solved: int, raised: int) -> float | None:
    return round(solved / raised, 4) if raised else None


def _issue_counts() -> dict:
    return {
        "issues_raised": Count("issues", distinct=True),
        "issues_solved": Count(
            "issues", filter=Q(issues__case__resolved_at__isnull=False), distinct=True
        ),
    }


def review(area: Area, start: date, end: date, today: date) -> dict:
    visits = Visit.objects.in_area(area).between(start, end)
    enterprises = Enterprise.objects.in_area(area)
    target = VisitTarget.for_area(area)

    totals = visits.aggregate(
        visits=Count("id", distinct=True),
        enterprises_visited=Count("enterprise", distinct=True),
        key_enterprises_visited=Count("enterprise", filter=Q(enterprise__is_key=True),
                                      distinct=True),
        **_issue_counts(),
    )
    totals["key_enterprises"] = enterprises.filter(is_key=True).count()
    totals["resolution_rate"] = _rate(totals["issues_solved"], totals["issues_raised"])

    return {
        "area": area,
        "start": start,
        "end": end,
        "weekly_target": target,
        "totals": totals,
        "staff": _per_staff(visits, start, end, target),
        "sub_areas": _per_sub_area(visits, area),
        "key_not_visited": _key_not_visited(enterprises, min(end, today), today),
    }


def _per_staff(visits, start: date, end: date, target: int) -> list[dict]:
    rows = {
        row["staff"]: row
        for row in visits.values("staff").annotate(
            visits=Count("id", distinct=True),
            enterprises_visited=Count("enterprise", distinct=True),
            **_issue_counts(),
        )
    }
    by_week = defaultdict(dict)
    for row in visits.annotate(week=TruncWeek("visited_on")).values("staff", "week").annotate(
        n=Count("id")
    ):
        by_week[row["staff"]][row["week"]] = row["n"]
    names = {
        u.pk: (u.get_username(), u.get_full_name())
        for u in get_user_model().objects.filter(pk__in=rows).only(
            "username", "first_name", "last_name"
        )
    }
    mondays = periods.weeks(start, end)
    result = []
    for staff_id, row in sorted(rows.items(), key=lambda item: names[item[0]][0]):
        weeks = [
            {"week": monday, "visits": by_week[staff_id].get(monday, 0),
             "met": by_week[staff_id].get(monday, 0) >= target}
            for monday in mondays
        ]
        result.append({
            "username": names[staff_id][0],
            "name": names[staff_id][1],
            "visits": row["visits"],
            "enterprises_visited": row["enterprises_visited"],
            "weeks_met": sum(w["met"] for w in weeks),
            "weeks": weeks,
            "issues_raised": row["issues_raised"],
            "issues_solved": row["issues_solved"],
            "resolution_rate": _rate(row["issues_solved"], row["issues_raised"]),
        })
    return result


def _per_sub_area(visits, area: Area) -> list[dict]:
    segment = area.depth + 1  # path "330000/330600/330602/": index of the direct sub-area
    rows = visits.values(
        "enterprise", "enterprise__area__path", "enterprise__street"
    ).annotate(visits=Count("id", distinct=True), **_issue_counts())
    buckets: dict[str, dict] = {}
    for row in rows:
        parts = (row["enterprise__area__path"] or "").strip("/").split("/")
        sub = parts[segment] if len(parts) > segment else ""
        key = f"area:{sub}" if sub else f"street:{row['enterprise__street']}"
        bucket = buckets.setdefault(key, {
            "adcode": sub or None, "street": "" if sub else row["enterprise__street"],
            "visits": 0, "enterprises_visited": 0, "issues_raised": 0, "issues_solved": 0,
        })
        bucket["visits"] += row["visits"]
        bucket["enterprises_visited"] += 1
        bucket["issues_raised"] += row["issues_raised"]
        bucket["issues_solved"] += row["issues_solved"]
    names = dict(
        Area.objects.filter(adcode__in=[b["adcode"] for b in buckets.values() if b["adcode"]])
        .values_list("adcode", "name")
    )
    result = []
    for bucket in buckets.values():
        bucket["name"] = names.get(bucket["adcode"], "") if bucket["adcode"] else bucket["street"]
        bucket["resolution_rate"] = _rate(bucket["issues_solved"], bucket["issues_raised"])
        result.append(bucket)
    return sorted(result, key=lambda b: (b["adcode"] or "", b["street"]))


def _key_not_visited(enterprises, last_day: date, today: date) -> list[dict]:
    """Key enterprises with no visit in the quarter of the period's last day (or today)."""
    day = min(last_day - timedelta(days=1), today)
    q_start, q_end = periods.window("quarter", day)
    visited = Visit.objects.between(q_start, q_end).values("enterprise")
    return list(
        enterprises.filter(is_key=True).exclude(pk__in=visited)
        .order_by("street", "name")
        .values("id", "name", "credit_code", "street", "owner__username")
    )


CSV_COLUMNS = [
    "section", "key", "name", "visits", "enterprises_visited", "weeks_met", "issues_raised",
    "issues_solved", "resolution_rate",
]


def csv_rows(result: dict) -> list[list]:
    """The review as rows: the total, one per staff member, one per sub-area."""
    t = result["totals"]
    rows = [["total", result["area"].adcode, result["area"].name, t["visits"],
             t["enterprises_visited"], "", t["issues_raised"], t["issues_solved"],
             t["resolution_rate"]]]
    for s in result["staff"]:
        rows.append(["staff", s["username"], s["name"], s["visits"], s["enterprises_visited"],
                     s["weeks_met"], s["issues_raised"], s["issues_solved"], s["resolution_rate"]])
    for a in result["sub_areas"]:
        rows.append(["sub_area", a["adcode"] or a["street"], a["name"], a["visits"],
                     a["enterprises_visited"], "", a["issues_raised"], a["issues_solved"],
                     a["resolution_rate"]])
    return rows
