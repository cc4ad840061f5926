"""An event whose transaction commits after a later event's must not be skipped by the mark."""

import threading
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from cases.models import CaseEvent
from notify.dispatch import EVENTS_CURSOR, dispatch, settled
from notify.models import Cursor
from tests.cases.helpers import inside, new_case
from tests.notify.helpers import district, subscribe, webhook_deliveries


def test_a_late_commit_below_the_mark_is_still_delivered(transactional_db, receiver, settings):
    settings.NOTIFY_GAP_GRACE_SECONDS = 60  # however slow the machine, the hole is young here
    d = district()
    subscribe(receiver.url, "case.escalated")
    slow, fast = new_case(inside(d.area)), new_case(inside(d.area))
    dispatch(timezone.now() + timedelta(seconds=60))  # past the creations

    wrote, commit = threading.Event(), threading.Event()

    def escalate_slowly():
        try:
            with transaction.atomic():
                slow.escalate(note="slow")  # takes its event ids now ...
                wrote.set()
                commit.wait(10)  # ... and commits only after the faster transaction
        finally:
            connection.close()

    thread = threading.Thread(target=escalate_slowly)
    thread.start()
    assert wrote.wait(10)
    fast.escalate(note="fast")  # higher ids, committed first

    dispatch()
    assert webhook_deliveries("case.escalated") == []  # waits at the hole the slow one holds
    commit.set()
    thread.join(10)
    dispatch()
    assert sorted(x.case_pk for x in webhook_deliveries("case.escalated")) == sorted(
        [slow.pk, fast.pk]
    )
    assert Cursor.objects.get(name=EVENTS_CURSOR).last_event_id == CaseEvent.objects.latest("pk").pk


def test_a_hole_is_passed_over_once_older_than_the_grace(settings):
    settings.NOTIFY_GAP_GRACE_SECONDS = 5
    now = timezone.now()
    young = [CaseEvent(pk=11, created_at=now), CaseEvent(pk=13, created_at=now)]
    assert [e.pk for e in settled(young, 10, now)] == [11]
    assert [e.pk for e in settled(young, 10, now + timedelta(seconds=6))] == [11, 13]
