"""A radius keeps exactly the facilities within it, decided in metres, not degrees."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from stations.models import Facility
from tests.facilities import brute_force
from tests.factories import make_facilities, scatter

pytestmark = pytest.mark.django_db


def project(lon: float, lat: float, metres: float, bearing_deg: float) -> tuple[float, float]:
    """The point `metres` away on the ellipsoid at `bearing_deg` (PostGIS ST_Project)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p::geometry), ST_Y(p::geometry) FROM ST_Project("
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, radians(%s)) AS p",
            [lon, lat, metres, bearing_deg],
        )
        return cursor.fetchone()


@pytest.mark.parametrize("lat", [39.9, 53.0])
def test_it_keeps_points_just_inside_and_drops_points_just_outside(lat):
    centre = (116.4, lat)
    rows = []
    # East-west is where degrees mislead most: same metres, many more degrees of longitude.
    for bearing in (0, 45, 90, 180, 270):
        inside, outside = project(*centre, 999.5, bearing), project(*centre, 1000.5, bearing + 5)
        rows.append({"lon": inside[0], "lat": inside[1], "name": f"in {bearing}"})
        rows.append({"lon": outside[0], "lat": outside[1], "name": f"out {bearing}"})
    make_facilities(rows)
    found = Facility.objects.nearest(Point(*centre, srid=4326), 50, radius=1000)
    assert sorted(r["name"] for r in found) == sorted(f"in {b}" for b in (0, 45, 90, 180, 270))
    assert all(999 < r["distance_m"] <= 1000 for r in found)


def test_it_matches_brute_force_within_a_radius_on_random_data():
    make_facilities({"lon": x, "lat": y} for x, y in scatter(800, 116.4, 39.9, 4000, seed=5))
    for x, y in scatter(15, 116.4, 39.9, 3000, seed=6):
        point = Point(x, y, srid=4326)
        for radius in (150, 600, 2500):
            found = Facility.objects.nearest(point, 10, radius=radius)
            assert [r["id"] for r in found] == brute_force.nearest_ids(point, 10, radius)


def test_it_returns_nothing_when_nothing_is_within_the_radius():
    make_facilities([{"lon": 116.5, "lat": 39.9}])  # about 8.5 km east
    assert Facility.objects.nearest(Point(116.4, 39.9, srid=4326), 5, radius=8000) == []
    assert len(Facility.objects.nearest(Point(116.4, 39.9, srid=4326), 5, radius=9000)) == 1
