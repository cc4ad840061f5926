"""A point given in GCJ-02 or BD-09 gives the same answer as its WGS84 equivalent."""

import pytest
from django.urls import reverse

from stations.coords import wgs84_to_bd09, wgs84_to_gcj02
from tests.factories import make_facility, scatter

pytestmark = pytest.mark.django_db
URL = reverse("stations:facility-nearest")


@pytest.mark.parametrize("crs,forward", [("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09)])
def test_it_converts_the_point_before_searching(api, crs, forward):
    for x, y in scatter(30, 116.40, 39.90, 1500, seed=12):
        make_facility(x, y)
    lon, lat = 116.4012, 39.9034
    shifted_lon, shifted_lat = forward(lon, lat)
    wgs84 = api.get(URL, {"lat": lat, "lon": lon, "limit": 10}).json()["features"]
    shifted = api.get(
        URL, {"lat": shifted_lat, "lon": shifted_lon, "crs": crs, "limit": 10}
    ).json()["features"]
    assert [f["id"] for f in shifted] == [f["id"] for f in wgs84]
    for a, b in zip(shifted, wgs84, strict=True):
        assert a["properties"]["distance_m"] == pytest.approx(b["properties"]["distance_m"], abs=0.1)
    # Read as WGS84, the shifted point is hundreds of metres off and ranks differently.
    as_wgs84 = api.get(URL, {"lat": shifted_lat, "lon": shifted_lon, "limit": 10}).json()
    assert [f["id"] for f in as_wgs84["features"]] != [f["id"] for f in wgs84]
