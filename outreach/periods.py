"""Review periods: calendar weeks (Monday first), months, quarters and years, local dates."""

from __future__ import annotations

from datetime import date, timedelta

PERIODS = ("week", "month", "quarter", "year")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def window(period: str, day: date) -> tuple[date, date]:
    """The [start, end) of the calendar `period` containing `day`."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        return start, _add_months(start, 1)
    if period == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return start, _add_months(start, 3)
    if period == "year":
        return date(day.year, 1, 1), date(day.year + 1, 1, 1)
    raise ValueError(f"period must be one of {', '.join(PERIODS)}")


def weeks(start: date, end: date) -> list[date]:
    """Mondays of the weeks overlapping [start, end)."""
    monday = start - timedelta(days=start.weekday())
    return [monday + timedelta(weeks=n) for n in range(((end - monday).days + 6) // 7)]
