"""Every bad parameter of the nearest search is a 400 naming it; never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("stations:facility-nearest")
GOOD = {"lat": "39.9", "lon": "116.4"}


@pytest.mark.parametrize(
    "params,field",
    [
        ({"lat": "91"}, "lat"),
        ({"lat": "-90.5"}, "lat"),
        ({"lon": "181"}, "lon"),
        ({"lat": "north"}, "lat"),
        ({"lat": "nan"}, "lat"),
        ({"lon": None}, "lon"),
        ({"crs": "mercator"}, "crs"),
        ({"radius": "50001"}, "radius"),
        ({"radius": "0"}, "radius"),
        ({"radius": "inf"}, "radius"),
        ({"radius": "far"}, "radius"),
        ({"limit": "51"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "2.5"}, "limit"),
        ({"kind": "bar"}, "kind"),
        ({"amenity": ["toilet", "sauna"]}, "amenity"),
        ({"open_now": "maybe"}, "open_now"),
    ],
)
def test_it_names_the_bad_parameter(api, params, field):
    query = {**GOOD, **params}
    query = {name: value for name, value in query.items() if value is not None}
    response = api.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_reports_every_bad_parameter_at_once(api):
    response = api.get(URL, {"lat": "99", "lon": "116.4", "limit": "500", "kind": "x"})
    assert set(response.json()["errors"]) == {"lat", "limit", "kind"}


def test_it_accepts_the_limits_themselves(api):
    response = api.get(URL, {**GOOD, "radius": "50000", "limit": "50", "open_now": "false"})
    assert response.status_code == 200


def test_it_names_the_unknown_amenity_in_a_flat_message_list(api):
    response = api.get(URL, {**GOOD, "amenity": ["toilet", "sauna"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"]["amenity"] == ["“sauna” is not a known amenity"]
