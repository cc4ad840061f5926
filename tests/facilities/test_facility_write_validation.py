"""Bad writes are a 400 naming the field, the database rules included; never a 500."""

import pytest
from django.urls import reverse

from stations.models import Facility
from tests.factories import make_area, make_facility, make_facility_staff, square

pytestmark = pytest.mark.django_db
LIST = reverse("stations:facility-list")
BASE = {"kind": "rest_station", "name": "驿站", "lat": 39.9, "lon": 116.4}


@pytest.fixture
def staff(api):
    district = make_area(square(116.0, 39.5, 1.0), union="朝阳区总工会")
    api.force_authenticate(make_facility_staff(district.union))
    return api


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"opening_hours": "Mo-Fr 8-20"}, "opening_hours"),
        ({"opening_hours": "Xy 08:00-20:00"}, "opening_hours"),
        ({"meal_price_min": "10"}, "meal_price_min"),  # only canteens have meal prices
        ({"kind": "canteen", "meal_price_min": "20", "meal_price_max": "10"}, "meal_price_max"),
        ({"sockets": 4}, "sockets"),  # only charging points
        ({"kind": "charging_point", "sockets": -1}, "sockets"),
        ({"battery_swap": True}, "sockets"),
        ({"kind": "hotel"}, "kind"),
        ({"amenities": ["toilet", "sauna"]}, "amenities"),
        ({"lat": 95}, "lat"),
        ({"lat": None, "lon": None}, "location"),
        ({"location": {"type": "Point", "coordinates": [116.4, 39.9]}}, "location"),  # and lat
        ({"lat": None, "lon": None, "location": {"type": "LineString",
                                                 "coordinates": [[116, 39], [117, 40]]}},
         "location"),
        ({"lat": None, "lon": None, "location": {"type": "Point", "coordinates": [200, 39]}},
         "location"),
        ({"lat": None}, "lat"),
        ({"crs": "epsg3857"}, "crs"),
    ],
)
def test_it_names_the_bad_field(staff, changes, field):
    body = {**BASE, **changes}
    body = {name: value for name, value in body.items() if value is not None}
    response = staff.post(LIST, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Facility.objects.exists()


def test_it_checks_a_partial_update_against_the_stored_fields(staff):
    canteen = make_facility(116.4, 39.9, kind="canteen", meal_price_min=8, meal_price_max=12)
    url = reverse("stations:facility-detail", args=[canteen.pk])
    response = staff.patch(url, {"meal_price_min": "15"}, format="json")
    assert response.status_code == 400 and "meal_price_max" in response.json()["errors"]
    response = staff.patch(url, {"kind": "rest_station"}, format="json")
    assert response.status_code == 400 and "meal_price_min" in response.json()["errors"]
    canteen.refresh_from_db()
    assert (canteen.kind, canteen.meal_price_min) == ("canteen", 8)


def test_it_rejects_a_duplicate_external_id(staff):
    make_facility(116.4, 39.9, external_id="BJ-1")
    response = staff.post(LIST, {**BASE, "external_id": "BJ-1"}, format="json")
    assert response.status_code == 400 and "external_id" in response.json()["errors"]


def test_it_turns_a_database_rule_violation_into_a_400(staff, monkeypatch):
    # As if validation had been bypassed (a concurrent edit): the named constraint still holds
    # and is reported on its field.
    monkeypatch.setattr(Facility, "clean", lambda self: None)
    response = staff.post(LIST, {**BASE, "sockets": 3}, format="json")
    assert response.status_code == 400
    assert "sockets" in response.json()["errors"]
    assert not Facility.objects.exists()
