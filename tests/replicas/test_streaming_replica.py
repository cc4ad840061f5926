"""Public reads from a real streaming replica (tests/replicas/conftest.py makes it): what is read
where, read-your-writes, the lag bound, and a replica that stops."""

from __future__ import annotations

from collections import defaultdict
from contextlib import ExitStack, contextmanager

import pytest
from django.db import connections, router
from django.test import RequestFactory, override_settings
from django.urls import reverse

from project import replicas
from stations.models import Facility
from tests.factories import make_facility
from tests.replicas.conftest import ALIASES, wait_for_receipt, wait_for_replay

URL = reverse("stations:facility-nearest")
NEAR_BEIJING = {"lat": "39.9", "lon": "116.4", "limit": "50"}


@pytest.fixture
def routed(streaming_pair):
    replicas.forget_status()
    # Lag measured on every request, so each test sees the replica as it is now.
    with override_settings(DATABASE_PRIMARY="rt_primary", DATABASE_REPLICAS=["rt_replica"],
                           REPLICA_CHECK_SECONDS=0, REPLICA_MAX_LAG_SECONDS=5):
        yield streaming_pair
    replicas.forget_status()


@contextmanager
def recording():
    """The SQL each alias ran, by alias."""
    ran: dict[str, list[str]] = defaultdict(list)
    with ExitStack() as stack:
        for alias in ALIASES:
            stack.enter_context(connections[alias].execute_wrapper(
                lambda execute, sql, params, many, context, alias=alias:
                    ran[alias].append(sql) or execute(sql, params, many, context)))
        yield ran


def searched(ran, alias: str) -> bool:
    return any("stations_facility" in sql for sql in ran[alias])


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {feature["id"] for feature in response.json()["features"]}


@pytest.mark.django_db  # also what makes the session create the test database this copies
def test_without_replicas_everything_reads_and_writes_the_default_database(client):
    assert router.db_for_read(Facility) == router.db_for_write(Facility) == "default"
    facility = make_facility(116.40, 39.90)
    assert facility.pk in ids(client.get(URL, NEAR_BEIJING))
    client.post(reverse("stations:facility-list"), {}, content_type="application/json")
    assert replicas.PIN_COOKIE not in client.cookies


def test_a_write_goes_to_the_primary_and_is_then_read_from_the_replica(routed, client):
    facility = make_facility(116.40, 39.90, name="驿站 replica")
    assert facility._state.db == "rt_primary" == router.db_for_write(Facility)
    wait_for_replay()
    with recording() as ran:
        response = client.get(URL, NEAR_BEIJING)
    assert facility.pk in ids(response)
    assert searched(ran, "rt_replica") and not searched(ran, "rt_primary")


def test_a_client_that_just_wrote_reads_the_primary_for_a_few_seconds(routed, client):
    client.post(reverse("stations:facility-list"), {}, content_type="application/json")
    assert replicas.PIN_COOKIE in client.cookies
    assert client.cookies[replicas.PIN_COOKIE]["max-age"] == 5
    with recording() as ran:
        ids(client.get(URL, NEAR_BEIJING))
    assert searched(ran, "rt_primary") and not searched(ran, "rt_replica")


def test_only_safe_requests_on_public_read_paths_may_read_a_replica(routed):
    factory = RequestFactory()
    assert replicas.reads_replica(factory.get(URL))
    assert replicas.reads_replica(factory.get("/api/areas/330411/"))
    assert not replicas.reads_replica(factory.post(URL))
    assert not replicas.reads_replica(factory.get("/admin/stations/facility/"))
    assert not replicas.reads_replica(factory.get("/api/cases/"))


def test_a_replica_behind_by_more_than_the_bound_is_skipped(routed, client):
    with connections["rt_replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        facility = make_facility(116.41, 39.91, name="驿站 lag")
        wait_for_receipt()  # received, not replayed: the replica is behind
        with override_settings(REPLICA_MAX_LAG_SECONDS=3600), recording() as ran:
            stale = ids(client.get(URL, NEAR_BEIJING))
        assert facility.pk not in stale and searched(ran, "rt_replica")  # within the bound
        with override_settings(REPLICA_MAX_LAG_SECONDS=0), recording() as ran:
            fresh = ids(client.get(URL, NEAR_BEIJING))
        assert facility.pk in fresh
        assert searched(ran, "rt_primary") and not searched(ran, "rt_replica")
    finally:
        with connections["rt_replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_a_replica_that_stops_falls_back_to_the_primary_without_an_error(routed, client):
    # The lag verdict is kept for a minute: the stop is found by the search's own query.
    with override_settings(REPLICA_CHECK_SECONDS=60):
        wait_for_replay()
        with recording() as ran:
            before = ids(client.get(URL, NEAR_BEIJING))
        assert searched(ran, "rt_replica")
        routed.stop_standby()
        for _ in range(2):
            with recording() as ran:
                assert ids(client.get(URL, NEAR_BEIJING)) == before
            assert searched(ran, "rt_primary")
