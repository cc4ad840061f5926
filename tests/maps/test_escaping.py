"""User text on the map pages shows as text: it never becomes markup or script."""

import pytest
from django.urls import reverse

from stations.models import FacilityKind
from tests.factories import make_area, make_facility, square

EVIL = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(1)</script>"


def test_it_embeds_facility_names_and_addresses_as_escaped_json(client, db):
    make_facility(116.40, 39.90, kind=FacilityKind.CANTEEN, name=EVIL, address=BREAKOUT)
    html = client.get(reverse("maps:facility-map")).content.decode()
    assert EVIL not in html
    assert BREAKOUT not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # still there, as data


@pytest.mark.parametrize("name", ["maps:facility-map", "maps:heatmap", "maps:gap-map"])
def test_it_escapes_area_names_in_the_form(staff_client, name):
    make_area(square(116.0, 39.0, 1.0), level="city", name=BREAKOUT)
    html = staff_client.get(reverse(name)).content.decode()
    assert BREAKOUT not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_escapes_what_the_user_typed_when_showing_it_again(staff_client):
    response = staff_client.get(reverse("maps:gap-map"), {"kind": "canteen", "area": EVIL})
    assert response.status_code == 400
    html = response.content.decode()
    assert EVIL not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
