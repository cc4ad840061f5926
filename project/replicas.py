"""Read replicas: public reads go to a streaming replica when one is configured, up and close
enough behind the primary; everything else stays on the primary.

Configuration (project/settings.py): `DATABASE_REPLICA_URLS`, comma-separated, become the
database aliases `replica_1`, `replica_2`, ... (`DATABASE_REPLICAS`); none configured, every query
goes to the primary as before and this module costs one context-variable read per query.

Which requests read from a replica (`ReplicaReadsMiddleware`): safe methods (GET, HEAD, OPTIONS)
on the public read paths (`PUBLIC_READ_PATHS`: the facility search and catalogue, areas, the
public maps). Staff views (admin, case management, the staff API) are not on those paths and
read the primary; so do writes, always (`db_for_write`). After any write request the client gets
a short-lived cookie (`READ_YOUR_WRITES_SECONDS`) that sends its next reads to the primary too, so
a staff member who just changed a facility sees the change on the public map at once.

Which replica: the first in order that answers and replays the primary's WAL within
`REPLICA_MAX_LAG_SECONDS` (measured at most every `REPLICA_CHECK_SECONDS` per process). A
replica that fails is skipped, falling back to the primary with no error; one that stops between
two checks fails a request's first query, and that read is run again elsewhere (`retry_elsewhere`,
called by `project.middleware.DatabaseUnavailableMiddleware`). A down replica is tried again
after `REPLICA_CHECK_SECONDS`. The choice is made once per request, at its first read, so one
response never mixes two databases' views.

The database cache (`django_cache`: throttle counts, the gap analysis) always uses the primary:
counts read from a replica would be stale.
"""

from __future__ import annotations

import time
from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

# None: this request reads the primary. PENDING: it may read a replica, not chosen yet.
# Otherwise the alias chosen for this request.
PENDING = ""
_reads: ContextVar[str | None] = ContextVar("waystation_replica_reads", default=None)

PRIMARY_ONLY_APPS = frozenset({"django_cache"})
PIN_COOKIE = "ws_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# How far behind the primary a replica is, in seconds: 0 when it has replayed everything it
# received (an idle primary sends nothing, so an idle replica is not "behind"), else the age of
# the last transaction it replayed.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 'Infinity')
END::float8
"""


@dataclass
class _Status:
    checked_at: float
    usable: bool


_status: dict[str, _Status] = {}


def primary() -> str:
    return getattr(settings, "DATABASE_PRIMARY", "default")


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def lag_seconds(alias: str) -> float:
    """How far the database `alias` is behind its primary (0 for a primary)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return cursor.fetchone()[0]


def _usable(alias: str, now: float) -> bool:
    """Lag measured at most every REPLICA_CHECK_SECONDS; in between, the last verdict. A replica
    that stops between two checks fails the request's first query instead:
    `DatabaseUnavailableMiddleware` then marks it down (`retry_elsewhere`) and runs the read
    again, on the next replica or the primary."""
    status = _status.get(alias)
    if status is not None and now - status.checked_at < settings.REPLICA_CHECK_SECONDS:
        return status.usable
    try:
        usable = lag_seconds(alias) <= settings.REPLICA_MAX_LAG_SECONDS
    except DatabaseError:
        connections[alias].close_if_unusable_or_obsolete()
        usable = False
    _status[alias] = _Status(now, usable)
    return usable


def choose_read_alias() -> str:
    """The first usable replica, else the primary."""
    now = time.monotonic()
    for alias in replicas():
        if _usable(alias, now):
            connection = connections[alias]
            if connection.connection is not None:
                # As on the primary (DatabaseUnavailableMiddleware): no SELECT 1 per request; a
                # broken connection fails the read, which runs again elsewhere.
                connection.health_check_done = True
            return alias
    return primary()


def retry_elsewhere() -> bool:
    """After a database error in a read of this request: mark the replica it used down and let
    the next read choose again. True if the read had gone to a replica."""
    state = _reads.get()
    if not state:
        return False
    if state in replicas():
        _status[state] = _Status(time.monotonic(), False)
    _reads.set(PENDING)
    return True


def forget_status() -> None:
    """Drop the cached replica checks (tests; a deployment that just promoted a replica)."""
    _status.clear()


def mark(public_read: bool) -> Token:
    """Mark the reads that follow as a public read's (or not); `unmark(token)` ends it."""
    return _reads.set(PENDING if public_read and replicas() else None)


def unmark(token: Token) -> None:
    _reads.reset(token)


class ReplicaRouter:
    """Reads of a request marked by `ReplicaReadsMiddleware` go to `choose_read_alias()`;
    every other read and every write to the primary; migrations never run on a replica."""

    def db_for_read(self, model, **hints) -> str | None:
        state = _reads.get()
        if state is None or model._meta.app_label in PRIMARY_ONLY_APPS:
            return primary()
        if state == PENDING:
            state = choose_read_alias()
            _reads.set(state)
        return state

    def db_for_write(self, model, **hints) -> str:
        return primary()

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return False if db in replicas() else None


def is_public_read(request) -> bool:
    """A safe method on one of the public read paths."""
    return request.method in SAFE_METHODS and request.path.startswith(
        tuple(settings.PUBLIC_READ_PATHS))


def reads_replica(request) -> bool:
    """May this request read from a replica? (A public read, not pinned to the primary.)"""
    if not is_public_read(request):
        return False
    try:
        pinned_until = float(request.COOKIES.get(PIN_COOKIE, 0))
    except ValueError:
        pinned_until = 0
    return pinned_until <= time.time()


class ReplicaReadsMiddleware:
    """Marks public reads for the router, and pins a client that just wrote to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas():
            return self.get_response(request)
        token = mark(reads_replica(request))
        try:
            response = self.get_response(request)
        finally:
            unmark(token)
        if request.method not in SAFE_METHODS:
            seconds = settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.3f}", max_age=seconds,
                                httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response
