"""Server-side prepared statements for the few hot, hand-written queries.

PostgreSQL plans every statement it is sent. For the routing statement of case intake, planning
took longer than running it (0.46 ms against 0.25 ms, EXPLAIN ANALYZE): prepared once per
connection, routing cost PostgreSQL 0.25 ms of CPU instead of 0.63 ms (bench/intake.py).

A statement is prepared on its first use on each database connection and kept for the life of
the connection (PREPARE is not undone by a rollback). This needs session-level connections, as
Django's persistent connections are: behind a pooler in transaction mode (pgbouncer's default),
a statement prepared on one server connection is missing on the next, so point `DATABASE_URL`
straight at PostgreSQL or at a pooler in session mode.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from django.db import connections

_names = itertools.count(1)


class PreparedStatement:
    """`sql` with `%s` placeholders, the PostgreSQL type of each, in order."""

    def __init__(self, sql: str, types: Sequence[str]) -> None:
        numbers = itertools.count(1)
        body = re.sub(r"%s", lambda _: f"${next(numbers)}", sql)
        if next(numbers) - 1 != len(types):
            raise ValueError("give one type per %s placeholder")
        self.name = f"waystation_{next(_names)}"
        self.prepare_sql = f"PREPARE {self.name} ({', '.join(types)}) AS {body}"
        self.execute_sql = f"EXECUTE {self.name} ({', '.join(['%s'] * len(types))})"

    def execute(self, cursor, params: Sequence[Any]) -> None:
        """Run it on `cursor` (a Django cursor), preparing it first on a new connection."""
        wrapper = cursor.db
        prepared = wrapper.__dict__.setdefault("waystation_prepared", {})
        # Keyed by the driver's connection object: a reconnect starts a new session, which has
        # none of the old one's statements.
        if prepared.get(self.name) is not wrapper.connection:
            cursor.execute(self.prepare_sql)
            prepared[self.name] = wrapper.connection
        cursor.execute(self.execute_sql, params)

    def fetchone(self, params: Sequence[Any], using: str = "default") -> tuple | None:
        with connections[using].cursor() as cursor:
            self.execute(cursor, params)
            return cursor.fetchone()
