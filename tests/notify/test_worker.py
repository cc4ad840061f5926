"""The worker as `make run` starts it: a separate process on the database, killed or stopped."""

import socket

from notify.models import Delivery, DeliveryAttempt, DeliveryStatus
from tests.cases.helpers import inside, post_case
from tests.notify.conftest import wait_until
from tests.notify.helpers import SECRET, district, subscribe
from tests.notify.receiver import Receiver


def _intake(api, d) -> str:
    point = inside(d.area)
    response = post_case(api, lat=point.y, lon=point.x)
    assert response.status_code == 201
    return response.json()["reference"]


def test_an_intake_reaches_the_receiver_signed_within_seconds(worker, api, receiver):
    d = district()
    subscribe(receiver.url, "case.created")
    worker()
    reference = _intake(api, d)
    [hit] = receiver.wait_for(lambda got: len(got) >= 1, timeout=10)
    assert hit.signed_with(SECRET)
    assert hit.json["case"]["reference"] == reference


def test_killed_mid_delivery_the_event_arrives_after_restart(worker, api, receiver):
    import threading

    d = district()
    subscribe(receiver.url, "case.created")
    receiver.hang = threading.Event()  # the first POST is held open: the worker is mid-delivery
    held = receiver.hang
    first = worker()
    _intake(api, d)
    receiver.wait_for(lambda got: len(got) == 1)
    first.kill()
    held.set()
    # Its transaction died with it: the delivery is pending again, for the next worker.
    assert Delivery.objects.get(subscription__isnull=False).status == DeliveryStatus.PENDING

    worker()
    got = receiver.wait_for(lambda got: len(got) >= 2)
    assert {hit.json["id"] for hit in got} == {got[0].json["id"]}  # the same event, same id
    delivered = wait_until(lambda: Delivery.objects.filter(
            status=DeliveryStatus.DELIVERED, subscription__isnull=False
        ).first())
    assert str(delivered.event_id) == got[0].json["id"]


def test_a_receiver_that_is_down_gets_the_event_when_it_returns(worker, api):
    with socket.socket() as probe:  # a free port, with nobody listening on it yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    receiver = Receiver(port=port)
    d = district()
    subscribe(receiver.url, "case.created")
    worker()
    _intake(api, d)

    wait_until(lambda: DeliveryAttempt.objects.filter(ok=False).count() >= 3)
    receiver.start()
    try:
        receiver.wait_for(lambda got: len(got) == 1)
        delivery = wait_until(
            lambda: Delivery.objects.filter(
            status=DeliveryStatus.DELIVERED, subscription__isnull=False
        ).first()
        )
    finally:
        receiver.stop()
    log = list(delivery.log.order_by("at"))
    failed = [a for a in log if not a.ok]
    assert log[-1].ok and len(failed) >= 3
    assert all("ConnectionRefused" in a.error for a in failed)
    # The backoff is in the log: each wait twice the one before (0.3 s, 0.6 s, 1.2 s ...).
    waits = [(a.next_attempt_at - a.at).total_seconds() for a in failed[:3]]
    assert waits[1] > 1.5 * waits[0] and waits[2] > 1.5 * waits[1]


def test_it_stops_on_sigterm(worker, api, receiver):
    d = district()
    subscribe(receiver.url, "case.created")
    process = worker()
    _intake(api, d)
    receiver.wait_for(lambda got: len(got) == 1)  # up and working
    assert process.stop() == 0


def test_the_receiver_sees_no_event_for_a_rolled_back_change(worker, receiver):
    import pytest
    from django.db import transaction

    from tests.cases.helpers import new_case

    d = district()
    subscribe(receiver.url, "case.escalated", "case.resolved")
    case = new_case(inside(d.area))
    worker()
    with pytest.raises(RuntimeError), transaction.atomic():
        case.escalate(note="undone")
        raise RuntimeError("the request failed after the change")
    case.refresh_from_db()
    case.accept()
    case.resolve(note="已解决 solved")
    got = receiver.wait_for(lambda got: any(h.json["type"] == "case.resolved" for h in got))
    assert [h.json["type"] for h in got] == ["case.resolved"]
