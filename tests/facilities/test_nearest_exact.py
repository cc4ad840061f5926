"""Nearest ordering equals a brute-force geodesic ranking, where degree ranking does not."""

import random

import pytest
from django.contrib.gis.geos import Point

from stations.models import Facility, FacilityStatus
from tests.facilities import brute_force
from tests.factories import make_facilities, scatter

pytestmark = pytest.mark.django_db

# Beijing (40°N) and Mohe (53°N): the farther north, the more a degree of longitude shrinks and
# the more a degree ranking departs from a metric one.
PLACES = [(116.40, 39.90), (122.54, 52.97)]


@pytest.fixture
def scattered():
    rows = []
    for lon, lat in PLACES:
        for number, (x, y) in enumerate(scatter(600, lon, lat, 3000, seed=int(lat))):
            status = FacilityStatus.CLOSED if number % 17 == 0 else FacilityStatus.OPEN
            rows.append({"lon": x, "lat": y, "status": status})
    return make_facilities(rows)


@pytest.mark.parametrize("lon,lat", PLACES)
@pytest.mark.parametrize("k", [1, 5, 20])
def test_it_ranks_exactly_like_brute_force(scattered, lon, lat, k):
    rng = random.Random(k)
    disagreements = 0
    for x, y in scatter(25, lon, lat, 2500, seed=k + int(lat)):
        point = Point(x, y, srid=4326)
        found = Facility.objects.nearest(point, k)
        truth = brute_force.nearest_ids(point, k)
        assert [row["id"] for row in found] == truth
        disagreements += brute_force.degree_ids(point, k) != truth
        if rng.random() < 0.2:  # distances too, not just the order
            metres = dict(brute_force.ranked(point).values_list("pk", "metres")[:k])
            for row in found:
                assert row["distance_m"] == pytest.approx(metres[row["id"]], abs=1e-6)
    # The data does separate the two rankings, so the equality above is not a coincidence.
    if k > 1:
        assert disagreements > 0


def test_it_never_returns_closed_or_planned_facilities(scattered):
    point = Point(*PLACES[0], srid=4326)
    found = Facility.objects.nearest(point, 50)
    statuses = set(Facility.objects.filter(pk__in=[r["id"] for r in found]).values_list(
        "status", flat=True))
    assert statuses == {FacilityStatus.OPEN}
    assert Facility.objects.filter(status=FacilityStatus.CLOSED).exists()


def test_it_returns_fewer_rows_when_fewer_exist():
    make_facilities([{"lon": 116.4, "lat": 39.9}, {"lon": 116.41, "lat": 39.9}])
    found = Facility.objects.nearest(Point(116.4, 39.9, srid=4326), 5)
    assert len(found) == 2
    assert found[0]["distance_m"] < found[1]["distance_m"]


def test_it_refuses_filters_chained_with_filter():
    with pytest.raises(TypeError):
        Facility.objects.filter(kind="canteen").nearest(Point(116.4, 39.9, srid=4326), 5)
