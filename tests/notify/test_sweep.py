from datetime import timedelta

from django.utils import timezone

from cases.models import Status
from notify.models import Delivery, OverdueNotice
from notify.schedule import sweep
from tests.factories import make_case
from tests.notify.helpers import district, subscribe, webhook_deliveries


def _late_case(d, **fields):
    past = timezone.now() - timedelta(days=10)
    return make_case(area=d.area, union=d.union, created_at=past, **fields)


def test_each_deadline_is_announced_once_over_repeated_sweeps(db, receiver):
    d = district()
    subscribe(receiver.url, "case.overdue")
    case = _late_case(d)  # past both its response and its resolution deadline

    assert sweep() == 2
    assert sweep() == 0
    assert sweep(timezone.now() + timedelta(hours=1)) == 0

    hooks = webhook_deliveries("case.overdue")
    assert sorted(h.payload["change"]["deadline"] for h in hooks) == ["resolution", "response"]
    assert {h.case_pk for h in hooks} == {case.pk}
    assert len({h.event_id for h in hooks}) == 2
    assert Delivery.objects.filter(event_type="case.overdue", recipient=d.staff.email).count() == 2


def test_a_responded_case_is_overdue_only_for_resolution(db):
    d = district()
    case = _late_case(d, status=Status.ACCEPTED, responded_at=timezone.now() - timedelta(days=9))
    sweep()
    assert list(OverdueNotice.objects.values_list("case_pk", "deadline")) == [(case.pk, "resolution")]


def test_a_new_deadline_after_reopening_is_announced_again(db):
    d = district()
    case = _late_case(d, status=Status.ACCEPTED, responded_at=timezone.now())
    sweep()
    case.due_at = timezone.now() - timedelta(minutes=1)  # a reopened case's fresh term, passed
    case.save(update_fields=["due_at"])
    assert sweep() == 1
    assert OverdueNotice.objects.filter(case_pk=case.pk, deadline="resolution").count() == 2


def test_closed_and_on_time_cases_are_not_overdue(db):
    d = district()
    make_case(area=d.area, union=d.union)  # on time
    _late_case(d, status=Status.CLOSED, responded_at=timezone.now())
    assert sweep() == 0


def test_concurrent_sweeps_still_announce_each_deadline_once(transactional_db):
    import threading

    from django.db import connection

    d = district()
    _late_case(d)
    counts, start = [], threading.Barrier(3)

    def run():
        try:
            start.wait(5)
            counts.append(sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(counts) == [0, 0, 2]
    assert OverdueNotice.objects.count() == 2
