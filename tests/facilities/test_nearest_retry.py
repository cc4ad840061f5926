"""When the first pool of candidates cannot prove the answer, a larger one is fetched."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations import nearest
from stations.models import Facility
from tests.facilities import brute_force
from tests.factories import make_facilities, scatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_first_pool(monkeypatch):
    # Exactly k candidates: rarely enough to prove that the k-th is the k-th in metres.
    monkeypatch.setattr(nearest, "first_pool", lambda k, lat: k)


def test_it_grows_the_pool_until_the_answer_is_proven(tiny_first_pool):
    make_facilities({"lon": x, "lat": y} for x, y in scatter(500, 116.4, 39.9, 3000, seed=8))
    retried = 0
    for x, y in scatter(12, 116.4, 39.9, 2500, seed=9):
        point = Point(x, y, srid=4326)
        with CaptureQueriesContext(connection) as queries:
            found = Facility.objects.nearest(point, 5)
        retried += len(queries) > 1
        assert [r["id"] for r in found] == brute_force.nearest_ids(point, 5)
    assert retried > 0


def test_it_stops_when_the_matching_rows_run_out(tiny_first_pool):
    make_facilities({"lon": x, "lat": y} for x, y in scatter(7, 116.4, 39.9, 3000, seed=10))
    point = Point(116.4, 39.9, srid=4326)
    found = Facility.objects.nearest(point, 5, radius=50_000)
    assert [r["id"] for r in found] == brute_force.nearest_ids(point, 5)
