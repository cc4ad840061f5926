from datetime import timedelta

from django.utils import timezone

from notify.models import Delivery, DeliveryAttempt, DeliveryStatus
from notify.schedule import prune


def _delivery(n: int, status: str, delivered_days_ago: int | None) -> Delivery:
    when = timezone.now() - timedelta(days=delivered_days_ago) if delivered_days_ago else None
    delivery = Delivery.objects.create(
        event_id=f"00000000-0000-4000-8000-{n:012d}", event_type="case.created",
        recipient=f"s{n}@union.example", payload={}, status=status, delivered_at=when,
        created_at=timezone.now() - timedelta(days=200),
    )
    DeliveryAttempt.objects.create(delivery=delivery, at=delivery.created_at, ok=True, duration_ms=1)
    return delivery


def test_old_made_deliveries_go_pending_ones_stay(db, settings):
    settings.NOTIFY_KEEP_DAYS = 90
    old = _delivery(1, DeliveryStatus.DELIVERED, 100)
    recent = _delivery(2, DeliveryStatus.DELIVERED, 10)
    waiting = _delivery(3, DeliveryStatus.PENDING, None)
    prune()
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not DeliveryAttempt.objects.filter(delivery_id=old.pk).exists()
