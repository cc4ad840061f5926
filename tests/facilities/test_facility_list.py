"""GET /api/facilities/: a paginated FeatureCollection with the contract's filters."""

import pytest
from django.urls import reverse

from stations.models import AreaLevel, FacilityKind, FacilityStatus
from tests.factories import make_area, make_facility, square

pytestmark = pytest.mark.django_db
URL = reverse("stations:facility-list")


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {f["properties"]["name"] for f in response.json()["features"]}


@pytest.fixture
def catalogue():
    city = make_area(square(116.0, 39.5, 1.0), level=AreaLevel.CITY)
    district = make_area(square(116.0, 39.5, 0.5), parent=city)
    town = make_area(square(116.0, 39.5, 0.1), parent=district, level=AreaLevel.TOWN)
    make_facility(116.05, 39.55, name="in town", amenities=["toilet", "wifi"])
    make_facility(116.3, 39.7, name="in district", kind=FacilityKind.CANTEEN,
                  amenities=["toilet"])
    make_facility(116.8, 39.9, name="in city", kind=FacilityKind.CHARGING_POINT, sockets=4,
                  status=FacilityStatus.PLANNED)
    make_facility(118.0, 30.0, name="elsewhere", amenities=["wifi"])
    return {"city": city, "district": district, "town": town}


def test_it_lists_facilities_as_paginated_geojson(api, catalogue):
    body = api.get(URL, {"page_size": 3}).json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 4 and len(body["features"]) == 3
    assert body["next"] and body["previous"] is None
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["area"] == catalogue["town"].adcode  # the smallest area
    assert len(api.get(body["next"]).json()["features"]) == 1


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"kind": "canteen"}, {"in district"}),
        ({"status": "planned"}, {"in city"}),
        ({"amenity": "wifi"}, {"in town", "elsewhere"}),
        ({"amenity": ["wifi", "toilet"]}, {"in town"}),  # every one is required
        ({"bbox": "116.0,39.5,116.5,40.0"}, {"in town", "in district"}),
        ({"bbox": "116.05,39.55,116.05,39.55"}, {"in town"}),  # edges included
    ],
)
def test_it_filters(api, catalogue, params, expected):
    assert names(api.get(URL, params)) == expected


@pytest.mark.parametrize(
    "area,expected",
    [
        ("town", {"in town"}),
        ("district", {"in town", "in district"}),
        ("city", {"in town", "in district", "in city"}),
    ],
)
def test_it_includes_sub_areas_of_an_area(api, catalogue, area, expected):
    assert names(api.get(URL, {"area": catalogue[area].adcode})) == expected


def test_it_shows_one_facility_as_a_feature(api, catalogue):
    facility_id = api.get(URL, {"kind": "canteen"}).json()["features"][0]["id"]
    body = api.get(reverse("stations:facility-detail", args=[facility_id])).json()
    assert body["type"] == "Feature" and body["id"] == facility_id
    assert body["properties"]["area"] == catalogue["district"].adcode
    assert api.get(reverse("stations:facility-detail", args=[999999])).status_code == 404


def test_it_lists_a_page_in_two_queries(api, catalogue, django_assert_num_queries):
    # 1. SELECT COUNT(*) for the paginator
    # 2. the page, with area and operating union joined
    with django_assert_num_queries(2):
        assert api.get(URL).status_code == 200
