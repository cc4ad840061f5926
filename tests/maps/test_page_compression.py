"""The big map pages travel compressed; static files have hashed names and a long cache life."""

import re

import pytest
from django.urls import reverse

from stations.models import FacilityKind
from tests.factories import make_facility

pytestmark = pytest.mark.django_db


def test_the_map_pages_are_gzipped_for_browsers_that_accept_it(client):
    for k in range(50):
        make_facility(116.3 + k / 1000, 39.9, kind=FacilityKind.CANTEEN, name=f"食堂 {k}")
    plain = client.get(reverse("maps:facility-map"))
    packed = client.get(reverse("maps:facility-map"), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) * 3 < len(plain.content)


def test_static_files_have_hashed_names_and_a_long_cache_life(client):
    html = client.get(reverse("maps:find")).content.decode()
    script = re.search(r'src="(/static/project/ws\.[0-9a-f]{12}\.js)"', html).group(1)
    response = client.get(script)
    assert response.status_code == 200
    cache = response["Cache-Control"]
    assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= 86400 * 365
