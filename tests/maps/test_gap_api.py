"""GET /api/gaps/ and /api/gaps/sites/: GeoJSON for planners, paginated, staff only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

KIND = FacilityKind.CHARGING_POINT


@pytest.fixture
def three_cells(db):
    i, j = cell_of(116.40, 39.90, 500)
    for n, key in enumerate([(i, j), (i + 10, j), (i + 20, j)], start=1):
        cases_at(*centre_of(*key, 500), n, shortage(KIND))
    make_facility(*offset(*centre_of(i, j, 500), east_m=200), kind=KIND)  # serves the first
    return i, j


def test_it_refuses_anonymous_and_non_staff_users(client, three_cells):
    url = reverse("maps:gap-cells")
    assert client.get(url, {"kind": KIND}).status_code == 401  # not signed in: the Token challenge
    rider = get_user_model().objects.create_user(username="rider", password="pw")
    client.force_login(rider)
    assert client.get(url, {"kind": KIND}).status_code == 403
    assert client.get(reverse("maps:gap-sites"), {"kind": KIND}).status_code == 403


def test_it_returns_the_cells_as_a_paginated_feature_collection_worst_first(
    staff_client, three_cells
):
    response = staff_client.get(reverse("maps:gap-cells"), {"kind": KIND, "page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 3 and body["previous"] is None and "page=2" in body["next"]
    first, second = body["features"]
    assert first["geometry"]["type"] == "Polygon"
    assert [f["properties"]["unmet_demand"] for f in body["features"]] == [3, 2]
    assert set(first["properties"]) == {"demand", "nearest_m", "unmet_demand", "centre"}
    assert first["properties"]["nearest_m"] > 500
    assert body["summary"] == {
        "kind": KIND, "radius_m": 1000, "cell_m": 500, "cells": 3,
        "total_demand": 6, "unmet_demand": 5, "covered_share": pytest.approx(1 / 6, abs=1e-4),
    }
    rest = staff_client.get(body["next"]).json()
    (last,) = rest["features"]
    assert last["properties"]["unmet_demand"] == 0
    assert last["properties"]["nearest_m"] == pytest.approx(200, rel=1e-3)


def test_it_suggests_sites_in_order_with_cumulative_coverage(staff_client, three_cells):
    response = staff_client.get(reverse("maps:gap-sites"), {"kind": KIND, "n": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2  # two unserved cells 5 km apart: one site each, then nothing
    sites = body["features"]
    assert [s["properties"]["rank"] for s in sites] == [1, 2]
    assert [s["properties"]["newly_covered"] for s in sites] == [3, 2]
    assert [s["properties"]["cumulative_share"] for s in sites] == [
        pytest.approx(4 / 6, abs=1e-4), pytest.approx(1.0)
    ]
    assert sites[0]["geometry"]["type"] == "Point"
    assert body["summary"]["covered_before"] == 1
