"""Staff add, change and remove facilities; everyone else may only read."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from stations.coords import wgs84_to_gcj02
from stations.models import Facility, Union
from tests.factories import make_area, make_facility, make_facility_staff, square

pytestmark = pytest.mark.django_db
LIST = reverse("stations:facility-list")


def detail(facility) -> str:
    return reverse("stations:facility-detail", args=[facility.pk])


@pytest.fixture
def district():
    return make_area(square(116.0, 39.5, 1.0), union="朝阳区总工会")


@pytest.fixture
def staff(api, district):
    # The district's own staff, with the facility permissions: this file is about the writes
    # themselves (test_facility_jurisdiction.py holds who may make them).
    api.force_authenticate(make_facility_staff(Union.objects.get(area=district)))
    return api


def test_it_creates_from_lat_lon_and_assigns_the_area(staff, district):
    response = staff.post(LIST, {
        "kind": "rest_station", "name": "望京驿站", "lat": 39.99, "lon": 116.47,
        "amenities": ["toilet", "drinking_water", "toilet"], "opening_hours": "Mo-Fr 08:00-20:00",
        "operator": district.adcode,
    }, format="json")
    assert response.status_code == 201, response.content
    facility = Facility.objects.get(pk=response.json()["id"])
    assert (facility.location.x, facility.location.y) == (116.47, 39.99)
    assert facility.area == district
    assert facility.operator == Union.objects.get(area=district)
    assert facility.amenities == ["drinking_water", "toilet"]
    assert facility.open_24h is False
    assert response.json()["properties"]["area"] == district.adcode


def test_it_converts_gcj02_input_to_wgs84(staff, district):
    lon, lat = wgs84_to_gcj02(116.47, 39.99)
    response = staff.post(
        LIST, {"kind": "canteen", "name": "食堂", "lat": lat, "lon": lon, "crs": "gcj02"},
        format="json",
    )
    assert response.status_code == 201, response.content
    x, y = response.json()["geometry"]["coordinates"]
    assert x == pytest.approx(116.47, abs=1e-7) and y == pytest.approx(39.99, abs=1e-7)


def test_it_creates_from_a_geojson_feature(staff, district):
    response = staff.post(LIST, {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [116.3, 39.8]},
        "properties": {"kind": "charging_point", "name": "充电点", "sockets": 8,
                       "battery_swap": True, "charging_price": "1.50"},
    }, format="json")
    assert response.status_code == 201, response.content
    facility = Facility.objects.get(pk=response.json()["id"])
    assert facility.location.coords == (116.3, 39.8)
    assert (facility.sockets, facility.battery_swap) == (8, True)


def test_it_updates_and_deletes(staff, district):
    facility = make_facility(116.3, 39.8)
    response = staff.patch(detail(facility), {"opening_hours": "24h", "lat": 39.9, "lon": 116.4},
                           format="json")
    assert response.status_code == 200, response.content
    facility.refresh_from_db()
    assert facility.opening_hours == "24/7" and facility.open_24h
    assert facility.location.coords == (116.4, 39.9)
    assert staff.delete(detail(facility)).status_code == 204
    assert not Facility.objects.filter(pk=facility.pk).exists()


@pytest.mark.parametrize("who", ["anonymous", "not staff"])
def test_it_refuses_writes_from_anyone_but_staff(api, who):
    if who == "not staff":
        api.force_authenticate(get_user_model().objects.create_user("rider", password="pw"))
    facility = make_facility(116.3, 39.8, name="原名")
    new = {"kind": "canteen", "name": "x", "lat": 39.9, "lon": 116.4}
    # Not signed in is 401 (the API-key authenticator comes first and DRF gives its challenge).
    refused = 401 if who == "anonymous" else 403
    assert api.post(LIST, new, format="json").status_code == refused
    assert api.patch(detail(facility), {"name": "改名"}, format="json").status_code == refused
    assert api.delete(detail(facility)).status_code == refused
    assert Facility.objects.get().name == "原名"
    assert api.get(detail(facility)).status_code == 200
