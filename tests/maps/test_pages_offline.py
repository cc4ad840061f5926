"""Pages load without internet: every script and stylesheet is served from our static files."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse

from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, offset, shortage

PAGES = ["maps:find", "maps:facility-map", "maps:heatmap", "maps:gap-map"]
CDN_HINTS = ["cdn.", "cdnjs", "jsdelivr", "unpkg", "code.jquery", "bootstrapcdn", "fontawesome",
             "googleapis"]


@pytest.fixture
def data(db):
    home = (116.40, 39.90)
    make_facility(*home, kind=FacilityKind.CANTEEN)
    cases_at(*offset(*home, east_m=3000), 2, shortage(FacilityKind.CANTEEN))


def static_url(name: str) -> str:
    return staticfiles_storage.url(name)


@pytest.mark.parametrize("name", PAGES)
def test_it_references_only_local_assets(staff_client, data, name):
    html = staff_client.get(reverse(name)).content.decode()
    assets = re.findall(r'<script[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"', html)
    urls = [src or href for src, href in assets if (src or href) != reverse("javascript-catalog")]
    assert static_url("vendor/leaflet/leaflet.min.js") in urls
    hashed = set(staticfiles_storage.hashed_files.values())
    for url in urls:
        if url == reverse("javascript-catalog"):
            continue  # the translation catalogue, served by the project itself
        assert url.startswith("/static/"), url
        assert url.removeprefix("/static/") in hashed, f"{url} is not a collected static file"
    for hint in CDN_HINTS:
        assert hint not in html


@pytest.mark.parametrize("name", ["maps:facility-map", "maps:heatmap", "maps:gap-map"])
def test_it_uses_nothing_that_needs_jquery(staff_client, data, name):
    # folium's Popup and some plugins call jQuery's $(...), which is not loaded.
    html = staff_client.get(reverse(name)).content.decode()
    assert "$(" not in html
    assert "L.AwesomeMarkers" not in html
