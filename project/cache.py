"""Django's database cache with a cheaper `set`, for the throttles' counts on every request.

Django's `DatabaseCache.set` counts the whole table (to cull it) and then looks the key up and
updates or inserts it in a transaction: five round trips and a sequential scan per write.
Throttled requests write once each, and that doubled intake's server CPU (bench/intake.py).
Here a write is one `INSERT ... ON CONFLICT DO UPDATE` (PostgreSQL, which this project
requires) committed without waiting for the disk, and the table is counted and culled on about
one write in CULL_EVERY. `count_hit` counts a throttle's hits in one statement.
"""

from __future__ import annotations

import base64
import pickle
import random
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as _DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 100


class DatabaseCache(_DatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        # The column is text: Django's own backend stores base64 of the pickle the same way.
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            if random.randrange(CULL_EVERY) == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                (entries,) = cursor.fetchone()
                if entries > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), entries)
            cursor.execute(
                f"{_quick_commit(connection)}INSERT INTO {table} (cache_key, value, expires) "
                f"SELECT %s, %s, %s {_FROM_QUICK if not connection.in_atomic_block else ''}"
                "ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, "
                "expires = EXCLUDED.expires",
                [key, encoded, connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))],
            )

    def count_hit(self, key: str, window: int) -> tuple[int, datetime]:
        """One more hit on the counter `key`, in a window of `window` seconds that starts with
        its first hit; returns (hits in this window, the window's end). One statement, so a
        throttled request costs one round trip (project.throttles)."""
        key = self.make_and_validate_key(key)
        connection = connections[router.db_for_write(self.cache_model_class)]
        table = connection.ops.quote_name(self._table)
        # The counter is plain text, not a pickle: only count_hit reads it.
        with connection.cursor() as cursor:
            cursor.execute(
                f"{_quick_commit(connection)}INSERT INTO {table} AS c (cache_key, value, expires) "
                "SELECT %s, '1', now() + make_interval(secs => %s) "
                f"{_FROM_QUICK if not connection.in_atomic_block else ''}"
                "ON CONFLICT (cache_key) DO UPDATE SET "
                "value = CASE WHEN c.expires > now() AND c.value ~ '^[0-9]{1,18}$' "
                "THEN (c.value::bigint + 1)::text ELSE '1' END, "
                "expires = CASE WHEN c.expires > now() AND c.value ~ '^[0-9]{1,18}$' THEN c.expires "
                "ELSE now() + make_interval(secs => %s) END "
                "RETURNING value::bigint, expires",
                [key, window, window],
            )
            return cursor.fetchone()


# A cache entry is not worth a WAL flush: committed without one, the worker does not wait on the
# disk (a crash may lose the last entries, never corrupt them). Only for a statement that is its
# own transaction: inside a caller's transaction the setting would apply to the caller's commit.
_FROM_QUICK = "FROM quick "


def _quick_commit(connection) -> str:
    if connection.in_atomic_block:
        return ""
    return "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)) "
