"""A bad filter on the facility list is a 400 naming it, never ignored and never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("stations:facility-list")


@pytest.mark.parametrize(
    "params,field",
    [
        ({"bbox": "116,39,117"}, "bbox"),
        ({"bbox": "116,39,117,40,41"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "117,39,116,40"}, "bbox"),  # min above max
        ({"bbox": "116,-91,117,40"}, "bbox"),
        ({"bbox": "116,39,190,40"}, "bbox"),
        ({"bbox": "116,39,inf,40"}, "bbox"),
        ({"kind": "bar"}, "kind"),
        ({"status": "gone"}, "status"),
        ({"amenity": ["toilet", "sauna"]}, "amenity"),
        ({"area": "999999999"}, "area"),
        ({"open_now": "maybe"}, "open_now"),
        ({"page": "99"}, "detail"),
    ],
)
def test_it_names_the_bad_filter(api, params, field):
    response = api.get(URL, params)
    assert response.status_code in (400, 404)
    assert field in response.json()["errors"]
