"""The worker loop `manage.py notify_worker` runs: dispatch, deliver, sweep, digest, sleep.

Everything it does is kept in PostgreSQL (the cursors, deliveries, notices, digest runs), so any
number of workers may run, and one that is killed at any point loses nothing.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from notify.deliver import deliver_due
from notify.dispatch import dispatch
from notify.schedule import prune, send_digests, sweep

log = logging.getLogger("notify.worker")


def run_once() -> dict[str, int]:
    """One round of everything (also `notify_worker --once`, for a timer or a test)."""
    counts = {"events": 0, "sent": 0}
    while (passed := dispatch()) > 0:
        counts["events"] += passed
    counts["sent"] = deliver_due()
    counts["overdue"] = sweep()
    counts["digests"] = send_digests()
    prune()
    return counts


class Worker:
    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.next_sweep = 0.0

    def stop(self, *_args) -> None:
        self.stopping.set()

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        log.info("notify worker started")
        while not self.stopping.is_set():
            try:
                busy = self.tick()
            except DatabaseError:
                # The database restarting or unreachable: try again shortly with a new connection.
                log.exception("notify worker: database error, retrying")
                connection.close()
                busy = False
            except Exception:
                # A bug in one round must not stop notifications (nor, under `make run`, the web
                # server beside it): logged, and the round tried again.
                log.exception("notify worker: round failed, retrying")
                busy = False
            if not busy:
                self.stopping.wait(settings.NOTIFY_POLL_SECONDS)
        log.info("notify worker stopped")

    def tick(self) -> bool:
        close_old_connections()
        passed = dispatch()
        sent = deliver_due(limit=50)
        if time.monotonic() >= self.next_sweep:
            self.next_sweep = time.monotonic() + settings.NOTIFY_SWEEP_SECONDS
            overdue, digests = sweep(), send_digests()
            prune()
            if overdue or digests:
                log.info("notify worker: %d overdue, %d digests", overdue, digests)
        return passed > 0 or sent > 0
