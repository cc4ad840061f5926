"""Data for the notification tests, built in code: one district with its union and a staff
member with an e-mail address, and webhook subscriptions."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from notify.deliver import deliver_due
from notify.dispatch import dispatch
from notify.models import Delivery, Subscription
from stations.models import AreaLevel
from tests.factories import make_area, make_staff, square

SECRET = "test-secret-0123456789abcdef"


def district(name: str = "区A", lon: float = 100) -> SimpleNamespace:
    """A city with its union, and a district under it with its union and a staff member."""
    city = make_area(square(lon, 0, 4), level=AreaLevel.CITY, name=f"市{name}", union=f"{name}市总工会")
    area = make_area(square(lon, 0, 2), parent=city, name=name, union=f"{name}总工会")
    area.refresh_from_db()
    city.refresh_from_db()
    staff = make_staff(area.union, email=f"{area.adcode}@union.example")
    return SimpleNamespace(area=area, union=area.union, city=city, staff=staff)


def subscribe(url: str, *events: str, union=None) -> Subscription:
    sub, _secret = Subscription.objects.register(url, list(events), union, SECRET)
    return sub


def pump(later: float = 60) -> int:
    """Dispatch and deliver in this process, as one worker round would. `later` moves the clock
    past the hole grace: ids consumed by earlier, rolled-back tests leave holes before ours."""
    now = timezone.now() + timedelta(seconds=later)
    while dispatch(now):
        pass
    return deliver_due()


def webhook_deliveries(event_type: str) -> list[Delivery]:
    return list(Delivery.objects.filter(event_type=event_type, subscription__isnull=False))
