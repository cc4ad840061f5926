"""distance_m is metres on the ellipsoid: within 0.5 % of a spherical great circle, as the
contract allows, and exactly PostGIS's geodesic."""

import math

import pytest
from django.contrib.gis.geos import Point

from stations.models import Facility
from tests.factories import make_facilities, scatter

pytestmark = pytest.mark.django_db


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = (map(math.radians, p) for p in (a, b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("lat", [22.5, 39.9, 53.0])
def test_it_measures_in_metres(lat):
    points = scatter(40, 116.4, lat, 40_000, seed=int(lat))
    make_facilities({"lon": x, "lat": y} for x, y in points)
    for row in Facility.objects.nearest(Point(116.4, lat, srid=4326), 40):
        great_circle = haversine((116.4, lat), (row["lon"], row["lat"]))
        assert row["distance_m"] == pytest.approx(great_circle, rel=0.005)
