"""On GCJ-02 tiles (MAP_TILES_CRS=gcj02) drawn points move with the tiles; on WGS84 they don't."""

import json
import re

import pytest
from django.urls import reverse

from stations.coords import from_wgs84
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, offset, shortage

POINT = (116.397428, 39.90923)  # Tiananmen: GCJ-02 is ~600 m off here


def coordinates(html: str) -> list[list[float]]:
    """Every [lon, lat] pair in the page's GeoJSON."""
    return [json.loads(m) for m in re.findall(r"\[1\d\d\.\d+, 3\d\.\d+\]", html)]


@pytest.mark.parametrize("crs", ["wgs84", "gcj02"])
def test_it_draws_facilities_where_the_tiles_put_them(client, db, settings, crs):
    settings.MAP_TILES_CRS = crs
    make_facility(*POINT, kind=FacilityKind.CANTEEN)
    html = client.get(reverse("maps:facility-map")).content.decode()
    expected = [round(v, 6) for v in from_wgs84(*POINT, crs)]
    assert expected in coordinates(html)
    if crs == "gcj02":
        assert [round(v, 6) for v in POINT] not in coordinates(html)


@pytest.mark.parametrize("crs", ["wgs84", "gcj02"])
def test_it_shifts_gap_cells_and_sites(staff_client, settings, crs):
    settings.MAP_TILES_CRS = crs
    cases_at(*offset(*POINT, east_m=4000), 3, shortage(FacilityKind.CANTEEN))
    api = staff_client.get(reverse("maps:gap-cells"), {"kind": "canteen"}).json()
    corner = api["features"][0]["geometry"]["coordinates"][0][0]  # always WGS84 in the API
    site = staff_client.get(reverse("maps:gap-sites"), {"kind": "canteen", "n": 1}).json()
    site_point = site["features"][0]["geometry"]["coordinates"]

    html = staff_client.get(reverse("maps:gap-map"), {"kind": "canteen", "n": 1}).content.decode()
    drawn = coordinates(html)

    def is_drawn(point, tolerance):
        return any(pair == pytest.approx(point, abs=tolerance) for pair in drawn)

    # The API rounds to 1e-6 degrees before the shift here; the page shifts, then rounds
    # (polygons to 1e-5, points to 1e-6). The GCJ-02 shift here is ~0.006 degrees.
    assert is_drawn(from_wgs84(*corner, crs), 1.2e-5)
    assert is_drawn(from_wgs84(*site_point, crs), 3e-6)
    if crs == "gcj02":
        assert not is_drawn(corner, 1e-3)


def test_it_tells_the_find_page_which_system_the_tiles_use(client, db, settings):
    settings.MAP_TILES_CRS = "gcj02"
    html = client.get(reverse("maps:find")).content.decode()
    config = json.loads(re.search(r'id="find-config" type="application/json">(.*?)</script>',
                                  html).group(1))
    assert config["tilesCrs"] == "gcj02"
    assert config["nearestUrl"] == reverse("stations:facility-nearest")
