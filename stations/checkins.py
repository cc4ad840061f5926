"""Riders' "I am here" check-ins: one per device, facility and clock hour; counted per day."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate

from stations.hours import LOCAL_ZONE
from stations.models import CheckIn, Facility

ONCE_CONSTRAINT = "checkin_once_per_device_hour"


@dataclass(frozen=True)
class CheckInSummary:
    checkins_today: int
    last_confirmed_at: datetime | None


def _device_key(facility: Facility, device: str, hour: datetime) -> str:
    message = f"{facility.pk}:{hour.isoformat()}:{device}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def check_in(facility: Facility, device: str, now: datetime) -> bool:
    """Record a check-in; False when this device already checked in here this hour."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    try:
        with transaction.atomic():
            CheckIn.objects.create(
                facility=facility, hour=hour, device_key=_device_key(facility, device, hour),
                created_at=now,
            )
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
        if constraint == ONCE_CONSTRAINT:
            return False
        raise
    return True


def summary(facility: Facility, now: datetime) -> CheckInSummary:
    """Today's count (local day) and the latest check-in, in one query."""
    midnight = now.astimezone(LOCAL_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    row = CheckIn.objects.filter(facility=facility).aggregate(
        today=Count("id", filter=Q(created_at__gte=midnight)), last=Max("created_at")
    )
    return CheckInSummary(row["today"], row["last"])


def per_day(facility: Facility, now: datetime, days: int = 7) -> list[tuple[date, int]]:
    """Check-ins per local day over the last `days` days, newest first (days without any left
    out): the count unions report (郑州: visits a day per station)."""
    midnight = now.astimezone(LOCAL_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        CheckIn.objects.filter(facility=facility, created_at__gte=midnight - timedelta(days=days - 1))
        .annotate(day=TruncDate("created_at", tzinfo=LOCAL_ZONE))
        .values("day").annotate(n=Count("id")).order_by("-day")
    )
    return [(row["day"], row["n"]) for row in rows]
