"""A local time window of the gap analysis: `22:00-02:00` (every day) or `Mo-Fr 22:00-02:00`.

The window is read with the opening-hours grammar of `stations.hours` (one rule, one interval),
so it becomes the same kind of value as a facility's `open_minutes`: half-open minute ranges in
the week, minute 0 being Monday 00:00 local time. A window that ends at or before its start runs
past midnight, and its tail belongs to the day after the named one (`Fr 22:00-02:00` is Friday
night into Saturday 02:00), exactly as for opening hours. Then, in SQL:

- a facility serves the window when it is open throughout: `open_24h`, or its `open_minutes`
  multirange contains the window's (`@>` on int4multirange);
- a case is demand in the window when the minute of the week of its local time falls in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from stations.hours import WEEK, HoursError, parse_hours

# One optional day part and one HH:MM-HH:MM interval: several rules or intervals are refused
# (a window is one stretch of the day).
_WINDOW = re.compile(r"^(?:(?P<days>\S+)\s+)?(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")

# Presets offered on the gap page (and usable as `hours=` values): the day, the evening rush of
# deliveries and the night shift.
PRESETS = {
    "day": "08:00-18:00",
    "evening": "18:00-22:00",
    "night": "22:00-06:00",
}


class WindowError(ValueError):
    """The window text cannot be read, or names no time at all."""


@dataclass(frozen=True)
class TimeWindow:
    text: str  # normalised
    minute_ranges: tuple[tuple[int, int], ...]

    @property
    def whole_week(self) -> bool:
        return self.minute_ranges == ((0, WEEK),)

    def multirange(self) -> str:
        """The int4multirange literal of the window (a query parameter)."""
        return "{" + ",".join(f"[{s},{e})" for s, e in self.minute_ranges) + "}"


def parse_window(text: str) -> TimeWindow:
    raw = " ".join((text or "").split())
    raw = PRESETS.get(raw, raw)
    match = _WINDOW.match(raw)
    if not match:
        raise WindowError(
            gettext("write the window as HH:MM-HH:MM, optionally after days, e.g. Mo-Fr 22:00-02:00")
        )
    if match["start"] == match["end"]:
        raise WindowError(gettext("the window is empty: its start and end are the same time"))
    try:
        hours = parse_hours(raw)
    except HoursError as exc:
        raise WindowError(str(exc)) from None
    # parse_hours names whole-week hours "24/7"; a window keeps what was asked.
    return TimeWindow(raw, hours.minute_ranges)
