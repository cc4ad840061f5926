"""GET /api/facilities/nearest/: a FeatureCollection, nearest first, with what a rider needs."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from stations.models import Facility, FacilityKind
from stations.serializers import FacilitySerializer
from tests.facilities import brute_force
from tests.factories import make_facility, scatter

pytestmark = pytest.mark.django_db
URL = reverse("stations:facility-nearest")


@pytest.fixture
def stations():
    return [
        make_facility(x, y, kind=FacilityKind.CANTEEN, meal_price_min="8.50", meal_price_max="15",
                      phone="010-12351", address=f"朝阳路 {n} 号", amenities=["microwave", "toilet"],
                      opening_hours="Mo-Fr 07:00-20:00")
        for n, (x, y) in enumerate(scatter(12, 116.40, 39.90, 2000, seed=4))
    ]


def test_it_returns_the_nearest_as_geojson_in_metric_order(api, stations):
    response = api.get(URL, {"lat": 39.90, "lon": 116.40, "limit": 4})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    ids = [feature["id"] for feature in body["features"]]
    assert ids == brute_force.nearest_ids(Point(116.40, 39.90, srid=4326), 4)
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == sorted(distances) and distances[0] > 0


def test_it_defaults_to_five_results(api, stations):
    assert len(api.get(URL, {"lat": 39.9, "lon": 116.4}).json()["features"]) == 5


def test_it_describes_each_facility_like_the_catalogue_does(api, stations):
    feature = api.get(URL, {"lat": 39.90, "lon": 116.40, "limit": 1}).json()["features"][0]
    facility = Facility.objects.get(pk=feature["id"])
    catalogue = FacilitySerializer(facility).data
    assert feature["geometry"] == {
        "type": "Point", "coordinates": list(catalogue["geometry"]["coordinates"])
    }
    shared = set(feature["properties"]) - {"distance_m"}
    assert shared <= set(catalogue["properties"])
    assert {name: feature["properties"][name] for name in shared} == {
        name: catalogue["properties"][name] for name in shared
    }
    assert {"name", "kind", "address", "phone", "opening_hours", "amenities", "is_open_now",
            "distance_m"} <= set(feature["properties"])


def test_it_answers_an_empty_collection_when_nothing_matches(api, stations):
    response = api.get(URL, {"lat": 39.9, "lon": 116.4, "kind": "charging_point"})
    assert response.status_code == 200
    assert response.json() == {"type": "FeatureCollection", "features": []}


def test_it_applies_radius_kind_and_amenities(api, stations):
    make_facility(116.4001, 39.9001, kind=FacilityKind.REST_STATION, amenities=["toilet"])
    response = api.get(URL, {"lat": 39.9, "lon": 116.4, "radius": 1500, "limit": 50,
                             "kind": "canteen", "amenity": ["toilet", "microwave"]})
    features = response.json()["features"]
    assert features and all(f["properties"]["kind"] == "canteen" for f in features)
    assert all(f["properties"]["distance_m"] <= 1500 for f in features)
    within = brute_force.nearest_ids(Point(116.4, 39.9, srid=4326), 50, 1500,
                                     Facility.objects.filter(kind="canteen"))
    assert [f["id"] for f in features] == within


def test_it_answers_with_one_query(api, stations, django_assert_num_queries):
    # 1. the KNN candidates re-ranked in metres (a second one only when the pool cannot prove
    #    the answer; 12 stations are fewer than the pool, so the first answer is complete)
    with django_assert_num_queries(1):
        assert api.get(URL, {"lat": 39.9, "lon": 116.4}).status_code == 200
