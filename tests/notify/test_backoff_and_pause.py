from datetime import timedelta

from django.utils import timezone

from notify.deliver import deliver_one
from notify.models import Delivery, DeliveryStatus
from tests.cases.helpers import inside, new_case
from tests.notify.helpers import district, pump, subscribe


def _retry_now() -> None:
    """The clock moves on to the next attempt (instead of waiting for it)."""
    Delivery.objects.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())


def test_failures_are_retried_with_exponential_backoff_then_the_webhook_is_paused(
    db, receiver, settings
):
    settings.NOTIFY_RETRY_BASE_SECONDS = 10
    settings.NOTIFY_RETRY_MAX_SECONDS = 1000
    settings.NOTIFY_PAUSE_AFTER = 4
    receiver.status = 500
    d = district()
    sub = subscribe(receiver.url, "case.created")
    new_case(inside(d.area))
    pump()  # the first attempt

    for _ in range(3):
        _retry_now()
        assert deliver_one()
    delivery = Delivery.objects.get(subscription=sub)
    log = list(delivery.log.all())
    assert [a.status_code for a in log] == [500] * 4
    assert [round((a.next_attempt_at - a.at).total_seconds()) for a in log] == [10, 20, 40, 80]

    sub.refresh_from_db()
    assert sub.paused_at is not None and sub.consecutive_failures == 4
    _retry_now()
    assert not Delivery.objects.due().filter(subscription=sub).exists()  # kept, not dropped
    assert delivery.status == DeliveryStatus.PENDING

    receiver.status = 204
    sub.paused_at = None
    sub.save()
    assert deliver_one()
    delivery.refresh_from_db()
    sub.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and sub.consecutive_failures == 0
    assert len(receiver.received) == 5


def test_a_receiver_that_times_out_is_retried(db, receiver, settings):
    import threading

    settings.NOTIFY_TIMEOUT_SECONDS = 0.3
    d = district()
    subscribe(receiver.url, "case.created")
    held = receiver.hang = threading.Event()
    new_case(inside(d.area))
    pump()
    held.set()
    delivery = Delivery.objects.get(subscription__isnull=False)
    assert delivery.status == DeliveryStatus.PENDING
    assert "timed out" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=1)
