"""What a rider reads about one facility: readable hours, kind-specific facts, whom to call and how
to get there.

The one source of truth for these details: `GET /api/facilities/{id}/` exposes `facility_details()`
(the /find/ sheet shows it), and `/s/{id}/` renders the same dict on the server. Text is in the
language active for the request (the catalogue), so both read the same in Chinese and English.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stations.coords import wgs84_to_bd09, wgs84_to_gcj02
from stations.hours import DAY, LOCAL_ZONE, WeeklyHours, day_intervals, next_change, parse_hours
from stations.models import Amenity, Facility, FacilityKind, FacilityStatus

# The national trade-union hotline: the number to call when neither the place nor its union
# lists one.
HOTLINE = "12351"


def _day_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _clock(minute: int) -> str:
    minute = minute - DAY if minute > DAY else minute
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _interval(start: int, end: int) -> str:
    return f"{_clock(start)}–{_clock(end)}"


def readable_hours(hours: WeeklyHours) -> str:
    """e.g. "每天 10:30–13:30、16:30–20:00" / "Daily 10:30–13:30, 16:30–20:00", "24 小时"."""
    if hours.always_open:
        return _("Open 24 hours")
    separator = pgettext("list separator", ", ")
    days = day_intervals(hours)
    texts = [separator.join(_interval(s, e) for s, e in intervals) for intervals in days]
    if len(set(texts)) == 1:
        return _("Daily %(hours)s") % {"hours": texts[0]}
    names = _day_names()
    groups: list[tuple[int, int, str]] = []  # runs of consecutive days with the same hours
    for day, text in enumerate(texts):
        if groups and groups[-1][2] == text and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    parts = []
    for first, last, text in groups:
        if not text:
            continue  # closed that day: not listed
        label = names[first] if first == last else _("%(first)s–%(last)s") % {
            "first": names[first], "last": names[last]
        }
        parts.append(f"{label} {text}")
    return pgettext("rule separator", "; ").join(parts)


def _day_phrase(when: datetime, now: datetime) -> str:
    days = (when.date() - now.astimezone(LOCAL_ZONE).date()).days
    if days <= 0:
        return ""
    if days == 1:
        return _("tomorrow")
    return _day_names()[when.weekday()]


def opening_state(facility: Facility, now: datetime) -> dict[str, Any]:
    """Open now or not, and a sentence saying when that changes ("Closes 20:00", "Opens
    tomorrow 07:00"), or why it is not open at all (temporarily closed, planned)."""
    if facility.status != FacilityStatus.OPEN:
        return {"open_now": False, "next_change": "", "next_change_at": None,
                "state": _status_text(facility.status)}
    hours = parse_hours(facility.opening_hours)
    change = next_change(hours, now)
    if change is None:
        return {"open_now": True, "next_change": "", "next_change_at": None,
                "state": _("Open 24 hours")}
    is_open, when = change
    day, time = _day_phrase(when, now), when.strftime("%H:%M")
    if is_open:
        text = (_("Closes %(day)s %(time)s") % {"day": day, "time": time} if day
                else _("Closes %(time)s") % {"time": time})
    else:
        text = (_("Opens %(day)s %(time)s") % {"day": day, "time": time} if day
                else _("Opens %(time)s") % {"time": time})
    return {"open_now": is_open, "next_change": text, "next_change_at": when.isoformat(),
            "state": _("Open now") if is_open else _("Closed now")}


def _status_text(status: str) -> str:
    # Worded for a rider deciding whether to go, not the catalogue's one-word labels.
    return {
        FacilityStatus.OPEN: _("Open"),
        FacilityStatus.TEMPORARILY_CLOSED: _("Temporarily closed"),
        FacilityStatus.CLOSED: _("Closed for good"),
        FacilityStatus.PLANNED: _("Planned, not open yet"),
    }[status]


def _yuan(value: Decimal) -> str:
    return f"{value.normalize():f}"


def kind_facts(facility: Facility) -> list[str]:
    """The kind-specific facts worth reading before going: meal prices, sockets, battery swap,
    charging price, seats."""
    facts = []
    low, high = facility.meal_price_min, facility.meal_price_max
    if low is not None or high is not None:
        if low is not None and high is not None and low != high:
            price = _("%(low)s–%(high)s yuan") % {"low": _yuan(low), "high": _yuan(high)}
        else:
            price = _("%(price)s yuan") % {"price": _yuan(low if low is not None else high)}
        facts.append(_("Meal: %(price)s") % {"price": price})
    if facility.sockets is not None:
        facts.append(_("Sockets: %(count)d") % {"count": facility.sockets})
    if facility.battery_swap:
        facts.append(_("Battery swap cabinet"))
    if facility.charging_price is not None:
        facts.append(_("Charging: %(price)s yuan per charge")
                     % {"price": _yuan(facility.charging_price)})
    if facility.seats:
        facts.append(_("Seats: %(count)d") % {"count": facility.seats})
    return facts


def call(facility: Facility) -> dict[str, str]:
    """The number to call: the place's own, else its operating union's, else the 12351 hotline."""
    if facility.phone:
        number, source = facility.phone, "facility"
    elif facility.operator_id and facility.operator.phone:
        number, source = facility.operator.phone, "union"
    else:
        number, source = HOTLINE, "hotline"
    label = {
        "facility": _("Call the place"),
        "union": _("Call the union that runs it"),
        "hotline": _("Call the union hotline 12351"),
    }[source]
    tel = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return {"number": number, "tel": f"tel:{tel}", "source": source, "label": label}


def navigation(facility: Facility) -> dict[str, str]:
    """Links that open the map apps at the place, each in the coordinates it expects: Amap and
    Apple Maps (whose Chinese map data is Amap's) in GCJ-02, Baidu in BD-09 (`coord_type=bd09ll`).
    Outside China GCJ-02 equals WGS84 (`stations.coords.out_of_china`)."""
    lon, lat = facility.location.x, facility.location.y
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    b_lon, b_lat = wgs84_to_bd09(lon, lat)
    name = facility.name
    return {
        "amap": "https://uri.amap.com/marker?" + urlencode({
            "position": f"{g_lon:.6f},{g_lat:.6f}", "name": name, "coordinate": "gaode",
            "callnative": 1, "src": "waystation",
        }),
        "baidu": "https://api.map.baidu.com/marker?" + urlencode({
            "location": f"{b_lat:.6f},{b_lon:.6f}", "title": name, "content": facility.address,
            "coord_type": "bd09ll", "output": "html", "src": "waystation",
        }),
        "apple": "https://maps.apple.com/?" + urlencode({
            "ll": f"{g_lat:.6f},{g_lon:.6f}", "q": name,
        }),
    }


def facility_details(facility: Facility, now: datetime) -> dict[str, Any]:
    """Everything /find/'s sheet and /s/{id}/ show about a place, in the active language."""
    amenity_labels = dict(Amenity.choices)
    return {
        "kind": str(FacilityKind(facility.kind).label),
        "status": _status_text(facility.status),
        "hours": readable_hours(parse_hours(facility.opening_hours)),
        **opening_state(facility, now),
        "facts": kind_facts(facility),
        "amenities": [str(amenity_labels.get(a, a)) for a in facility.amenities],
        "call": call(facility),
        "navigation": navigation(facility),
    }


def freshness(last_confirmed_at: datetime | None, now: datetime) -> str:
    """"Confirmed open 2 h ago" from the latest check-in; empty when there was none."""
    if last_confirmed_at is None:
        return ""
    age = max(now - last_confirmed_at, timedelta(0))
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return _("Confirmed open just now")
    if minutes < 60:
        return _("Confirmed open %(n)d min ago") % {"n": minutes}
    if minutes < 48 * 60:
        return _("Confirmed open %(n)d h ago") % {"n": minutes // 60}
    return _("Confirmed open %(n)d days ago") % {"n": minutes // (24 * 60)}
