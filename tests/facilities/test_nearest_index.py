"""The nearest query is answered from the GiST index on location; it never scans the table."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations.models import Facility, FacilityKind
from tests.factories import make_facilities, scatter

pytestmark = pytest.mark.django_db


def plan_of_nearest(**filters) -> str:
    with CaptureQueriesContext(connection) as queries:
        Facility.objects.nearest(Point(116.4, 39.9, srid=4326), 5, **filters)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries[0]["sql"])
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def analysed():
    kinds = FacilityKind.values
    make_facilities(
        {"lon": x, "lat": y, "amenities": ["toilet"] if n % 3 else [], "kind": kinds[n % 3]}
        for n, (x, y) in enumerate(scatter(2000, 116.4, 39.9, 20_000, seed=1))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stations_facility")


@pytest.mark.parametrize("filters", [{}, {"kind": "canteen", "amenities": ["toilet"]}])
def test_it_walks_the_index_in_distance_order(analysed, filters):
    plan = plan_of_nearest(**filters)
    assert "Index Scan using stations_facility_location" in plan
    assert "Order By: (location <-> " in plan
    assert "Seq Scan" not in plan


def test_it_bounds_a_radius_search_by_the_index(analysed):
    # The planner may walk the index in order or collect the box's rows from it and sort those:
    # either way only the box is read.
    plan = plan_of_nearest(radius=2000)
    assert "Index Cond: (location && " in plan
    assert "stations_facility_location " in plan
    assert "Seq Scan" not in plan
