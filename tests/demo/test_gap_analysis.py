"""The gap analysis (maps app, GET /api/gaps/) finds the demo's charging gap at 王店镇.

Written against the contract in shared/CONTRACT.md; skipped while the maps app does not serve the
endpoint yet.
"""

import math

import pytest
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve

from demo.spec import WANGDIAN_SEAT

pytestmark = pytest.mark.django_db


def _served(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _metres(a, b) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2
    ) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def _centre(geometry) -> tuple[float, float]:
    if geometry["type"] == "Point":
        return tuple(geometry["coordinates"][:2])
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    xs, ys = zip(*[c[:2] for c in ring[:-1]], strict=True)
    return sum(xs) / len(xs), sum(ys) / len(ys)


@pytest.fixture
def planner(api, small_demo):
    api.force_login(get_user_model().objects.get(username="demo-330411"))
    return api


def test_it_puts_the_worst_charging_cell_within_3_km_of_wangdian(planner):
    if not _served("/api/gaps/"):
        pytest.skip("the maps app does not serve /api/gaps/ yet")
    params = {"kind": "charging_point", "radius": 1000, "cell": 500, "area": "330411",
              "page_size": 1000}
    response = planner.get("/api/gaps/", params)
    assert response.status_code == 200, response.content
    features = response.json()["features"]
    assert features
    worst = max(features, key=lambda f: f["properties"]["unmet_demand"])
    assert worst["properties"]["unmet_demand"] > 0
    assert worst["properties"]["nearest_m"] > 1000
    assert _metres(_centre(worst["geometry"]), WANGDIAN_SEAT) <= 3000


def test_it_suggests_the_first_new_charging_site_at_wangdian(planner):
    if not _served("/api/gaps/sites/"):
        pytest.skip("the maps app does not serve /api/gaps/sites/ yet")
    response = planner.get(
        "/api/gaps/sites/", {"kind": "charging_point", "radius": 1000, "n": 3, "area": "330411"}
    )
    assert response.status_code == 200, response.content
    first = response.json()["features"][0]
    assert _metres(_centre(first["geometry"]), WANGDIAN_SEAT) <= 3000
