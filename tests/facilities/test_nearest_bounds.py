"""The two geometric facts exactness rests on, checked against PostGIS's geodesic."""

import math
import random

import pytest
from django.db import connection

from stations.nearest import search_box, unfetched_floor_m

pytestmark = pytest.mark.django_db


def geodesic(a: tuple[float, float], b: tuple[float, float]) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography,"
            " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)",
            [*a, *b],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("lat", [0.0, 22.5, 39.9, 53.0, -35.0, 70.0])
def test_it_never_overestimates_the_distance_to_an_unfetched_point(lat):
    rng = random.Random(int(lat * 10))
    tightest = 0.0
    for _ in range(200):
        bearing = rng.uniform(0, 2 * math.pi)
        reach = rng.uniform(0.001, 0.5)  # degrees in the (lon, lat) plane
        other = (116.0 + reach * math.cos(bearing), lat + reach * math.sin(bearing))
        metres = geodesic((116.0, lat), other)
        floor = unfetched_floor_m(lat, reach, metres)
        assert floor <= metres
        tightest = max(tightest, floor / metres)
    assert tightest > 0.95  # and it is not uselessly loose


@pytest.mark.parametrize("lat", [0.0, 39.9, 53.0, -60.0])
@pytest.mark.parametrize("radius", [100, 5000, 50_000])
def test_it_draws_a_search_box_around_the_whole_radius(lat, radius):
    west, south, east, north = search_box(116.0, lat, radius)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p::geometry), ST_Y(p::geometry) FROM generate_series(0, 355, 5) AS b,"
            " ST_Project(ST_SetSRID(ST_MakePoint(116, %s), 4326)::geography, %s, radians(b)) p",
            [lat, radius],
        )
        rim = cursor.fetchall()
    assert all(west <= x <= east and south <= y <= north for x, y in rim)
    # ... and not much more than it: within the 1 % margin plus the ellipse's bulge.
    assert east - 116.0 < 1.05 * max(x - 116.0 for x, _ in rim)
