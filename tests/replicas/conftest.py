"""A real streaming replica for the replica tests, made on this machine and removed after.

The fixture makes its own small primary cluster (initdb, on a port of this branch's range)
rather than copying the test server: the test server may be shared and large, and may not
accept replication connections. The primary gets the test database's schema (pg_dump
--schema-only | psql, PostGIS included), the standby is `pg_basebackup -R` of it started on the
next port, streaming. Both run as the postgres user when the tests run as root (initdb refuses
root). Django reaches them as the aliases `rt_primary` and `rt_replica`; the tests point the
router at them with `override_settings`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from project import replicas

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_PORT = int(os.environ.get("REPLICA_TEST_PORT", "8960"))
STANDBY_PORT = PRIMARY_PORT + 1
DB_NAME = "waystation_replica_test"
ALIASES = {"rt_primary": PRIMARY_PORT, "rt_replica": STANDBY_PORT}


class Pair:
    """The running primary and standby: their data directories and how to stop the standby."""

    def __init__(self, root: Path, as_postgres: list[str]) -> None:
        self.root, self.as_postgres = root, as_postgres
        self.primary, self.standby = root / "primary", root / "standby"

    def pg_ctl(self, data: Path, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), *args],
                       check=True, capture_output=True, timeout=60)

    def stop_standby(self) -> None:
        self.pg_ctl(self.standby, "-m", "fast", "-w", "stop")


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def streaming_pair(django_db_setup, django_db_blocker) -> Iterator[Pair]:
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="ws-replica-"))
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    pair = Pair(root, as_postgres)
    started: list[Path] = []
    try:
        _run(*as_postgres, str(PG_BIN / "initdb"), "-D", str(pair.primary), "-U", "postgres",
             "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        with open(pair.primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {PRIMARY_PORT}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{root}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\nshared_buffers = 32MB\n"
                # The standby reports often, so the tests' waits are short.
                "wal_receiver_status_interval = 1s\n"
            )
        pair.pg_ctl(pair.primary, "-l", str(root / "primary.log"), "-w", "start")
        started.append(pair.primary)
        psql = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-U", "postgres", "-q",
                "-v", "ON_ERROR_STOP=1"]
        _run(*psql, "-p", str(PRIMARY_PORT), "-d", "postgres", "-c", f"CREATE DATABASE {DB_NAME}")
        test_db = connections["default"].settings_dict  # the test database, once set up
        schema = _run(str(PG_BIN / "pg_dump"), "--schema-only", "--no-owner", "--no-privileges",
                      "-h", test_db["HOST"] or "127.0.0.1", "-p", str(test_db["PORT"] or 5432),
                      "-U", test_db["USER"] or "postgres", test_db["NAME"]).stdout
        _run(*psql, "-p", str(PRIMARY_PORT), "-d", DB_NAME, input=schema)
        _run(*as_postgres, str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p",
             str(PRIMARY_PORT), "-U", "postgres", "-D", str(pair.standby), "-X", "stream", "-R",
             "--checkpoint=fast", "--no-sync")
        with open(pair.standby / "postgresql.auto.conf", "a") as conf:
            conf.write(f"\nport = {STANDBY_PORT}\nhot_standby = on\n")
        pair.pg_ctl(pair.standby, "-l", str(root / "standby.log"), "-w", "start")
        started.append(pair.standby)

        default = connections.settings["default"]
        configured = connections.configure_settings({
            "default": default,
            **{alias: {**default, "HOST": "127.0.0.1", "PORT": str(port), "NAME": DB_NAME,
                       "TEST": {"MIRROR": "default"}}
               for alias, port in ALIASES.items()},
        })
        for alias in ALIASES:
            connections.settings[alias] = configured[alias]
        with django_db_blocker.unblock():
            yield pair
    finally:
        for alias in ALIASES:
            if alias in connections.settings:
                connections[alias].close()
                del connections[alias]
                del connections.settings[alias]
        replicas.forget_status()
        for data in reversed(started):
            subprocess.run([*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m",
                            "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def wait_for_replay(timeout: float = 10.0) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    with connections["rt_primary"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (lsn,) = cursor.fetchone()
    _wait_on_replica("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn, timeout)


def wait_for_receipt(timeout: float = 10.0) -> None:
    """Until the standby has received (not necessarily replayed) all the primary's WAL."""
    with connections["rt_primary"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (lsn,) = cursor.fetchone()
    _wait_on_replica("SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", lsn, timeout)


def _wait_on_replica(sql: str, lsn: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with connections["rt_replica"].cursor() as cursor:
        while True:
            cursor.execute(sql, [lsn])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the standby did not reach {lsn} in {timeout} s")
            time.sleep(0.02)  # streaming replication is asynchronous: poll, briefly
