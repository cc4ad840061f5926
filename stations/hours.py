"""Weekly opening hours: parsing the text form and answering "open at this moment?".

Text form (a subset of OpenStreetMap's opening_hours, so unions can copy what they publish):

    24/7                                   open round the clock
    Mo-Fr 08:00-20:00; Sa,Su 10:00-16:00   rules separated by ";"
    08:00-20:00                            no days given: every day
    Mo-Su 18:00-02:00                      an end at or before the start runs past midnight
    Mo-Fr 07:00-11:00,16:00-24:00          several intervals on the same days

Times are local (Asia/Shanghai, which has no daylight saving). Internally the hours become a set of
half-open minute ranges within the week, minute 0 being Monday 00:00; an interval that runs past
Sunday midnight wraps to Monday morning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
DAY = 1440
WEEK = 7 * DAY
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class HoursError(ValueError):
    """The opening-hours text cannot be read; the message says where."""


@dataclass(frozen=True)
class WeeklyHours:
    text: str
    minute_ranges: tuple[tuple[int, int], ...]

    @property
    def always_open(self) -> bool:
        return self.minute_ranges == ((0, WEEK),)

    def is_open_at(self, moment: datetime) -> bool:
        minute = minute_of_week(moment)
        return any(start <= minute < end for start, end in self.minute_ranges)


def minute_of_week(moment: datetime) -> int:
    """Minutes since Monday 00:00 local time; a naive moment is taken as local time."""
    local = moment.astimezone(LOCAL_ZONE) if moment.tzinfo else moment
    return local.weekday() * DAY + local.hour * 60 + local.minute


def _minute(token: str, *, allow_24: bool) -> int:
    match = _TIME.match(token)
    if not match:
        raise HoursError(gettext("time “%(time)s” is not HH:MM") % {"time": token})
    hour, minute = int(match[1]), int(match[2])
    if minute > 59 or hour > 24 or (hour == 24 and (minute or not allow_24)):
        raise HoursError(gettext("time “%(time)s” is out of range") % {"time": token})
    return hour * 60 + minute


def _days(spec: str) -> list[int]:
    days: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in DAYS or last not in DAYS:
                raise HoursError(gettext("day range “%(days)s” is not like Mo-Fr") % {"days": part})
            start, end = DAYS.index(first), DAYS.index(last)
            span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
            days.extend(span)
        elif part in DAYS:
            days.append(DAYS.index(part))
        else:
            raise HoursError(
                gettext("day “%(day)s” is not one of %(days)s") % {"day": part, "days": " ".join(DAYS)}
            )
    return days


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def parse_hours(text: str | None) -> WeeklyHours:
    raw = " ".join((text or "").split())
    if not raw:
        raise HoursError(gettext("opening hours are empty; write 24/7 or e.g. Mo-Fr 08:00-20:00"))
    if raw.lower() in {"24/7", "24h", "24 h", "00:00-24:00"}:
        return WeeklyHours("24/7", ((0, WEEK),))

    ranges: list[tuple[int, int]] = []
    for rule in (r.strip() for r in raw.split(";")):
        if not rule:
            continue
        day_spec, _, times = rule.rpartition(" ")
        days = _days(day_spec) if day_spec else list(range(7))
        for interval in times.split(","):
            start_text, sep, end_text = interval.partition("-")
            if not sep:
                raise HoursError(
                    gettext("interval “%(interval)s” is not like 08:00-20:00") % {"interval": interval}
                )
            start = _minute(start_text, allow_24=False)
            end = _minute(end_text, allow_24=True)
            if end <= start:
                end += DAY  # runs past midnight into the next day
            for day in days:
                begin, finish = day * DAY + start, day * DAY + end
                if finish > WEEK:  # Sunday night into Monday morning
                    ranges.append((begin, WEEK))
                    ranges.append((0, finish - WEEK))
                else:
                    ranges.append((begin, finish))
    if not ranges:
        raise HoursError(gettext("opening hours name no interval"))
    merged = _merge(ranges)
    if merged == ((0, WEEK),):
        return WeeklyHours("24/7", merged)
    return WeeklyHours(raw, merged)


# --- reading the hours back: per-day intervals and the next opening or closing ------------------


def _runs(ranges: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """The week's ranges with a Sunday-night interval joined to its Monday-morning tail, so an
    overnight interval reads as one (Su 18:00-02:00, not Su 18:00-24:00 and Mo 00:00-02:00)."""
    runs = list(ranges)
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == WEEK:
        head = runs.pop(0)
        runs[-1] = (runs[-1][0], WEEK + head[1])
    return runs


def day_intervals(hours: WeeklyHours) -> list[list[tuple[int, int]]]:
    """For each weekday (0 = Monday) the intervals starting that day, as minutes from its
    midnight; an interval running past midnight ends above 1440 (18:00-02:00 is (1080, 1560)).
    A range of several whole days is cut into 00:00-24:00 days."""
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for start, end in _runs(hours.minute_ranges):
        cursor = start
        while cursor < end:
            day = cursor // DAY
            offset = day * DAY
            # Keep an overnight interval whole when it starts after midnight and ends within a
            # day; otherwise take this day up to midnight and go on with the next.
            if end - offset <= DAY or (cursor % DAY and end - cursor < DAY):
                days[day % 7].append((cursor - offset, end - offset))
                break
            days[day % 7].append((cursor - offset, DAY))
            cursor = offset + DAY
    return days


def next_change(hours: WeeklyHours, moment: datetime) -> tuple[bool, datetime] | None:
    """(open now, when that changes) at `moment`, in local time; None when always open."""
    if hours.always_open:
        return None
    minute = minute_of_week(moment)
    runs = _runs(hours.minute_ranges)
    local = moment.astimezone(LOCAL_ZONE).replace(second=0, microsecond=0)
    for start, end in runs:
        # A joined Sunday-night run also covers Monday morning (minute + WEEK).
        for here in (minute, minute + WEEK):
            if start <= here < end:
                return True, local + timedelta(minutes=end - here)
    starts = sorted(start for start, _ in runs)
    upcoming = next((s for s in starts if s > minute), starts[0] + WEEK)
    return False, local + timedelta(minutes=upcoming - minute)
