"""`{% facility_sessions facility %}`: a facility's next reception days and paired officials,
for the station page /s/{id}/ and /find/'s details (owned by stations and maps, which include
this without importing outreach's models)."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

from outreach.models import Pairing, ReceptionSession

register = template.Library()

SHOWN = 3


def upcoming_sittings(facility_id: int, now=None, limit: int = SHOWN) -> list:
    """The next `limit` sittings of reception days at a facility, soonest first."""
    now = now or timezone.now()
    sessions = ReceptionSession.objects.filter(facility_id=facility_id).current(
        timezone.localtime(now).date()
    )
    sittings = [o for s in sessions for o in s.occurrences(now, now + timedelta(days=60))]
    return sorted(sittings, key=lambda o: o.start)[:limit]


@register.inclusion_tag("outreach/_facility_sessions.html")
def facility_sessions(facility) -> dict:
    facility_id = getattr(facility, "pk", facility)
    return {
        "sittings": upcoming_sittings(facility_id),
        "pairings": list(Pairing.objects.filter(facility_id=facility_id)),
    }


@register.filter
def field(row: dict, key: str):
    return row.get(key, "")


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f} %"
