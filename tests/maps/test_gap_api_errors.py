"""Bad parameters of the gap API: a 400 naming each bad field, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import make_area, square
from tests.maps.support import cases_at, shortage


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "kind"),
        ({"kind": "spaceport"}, "kind"),
        ({"kind": "canteen", "radius": "10"}, "radius"),
        ({"kind": "canteen", "radius": "1e9"}, "radius"),
        ({"kind": "canteen", "radius": "far"}, "radius"),
        ({"kind": "canteen", "cell": "5"}, "cell"),
        ({"kind": "canteen", "area": "000000"}, "area"),
        ({"kind": "canteen", "since": "yesterday"}, "since"),
        ({"kind": "canteen", "since": "2026-03-02", "until": "2026-03-01"}, "until"),
        ({"kind": "canteen", "category": "gossip"}, "category"),
        ({"kind": "canteen", "weight": "2"}, "weight"),
        ({"kind": "canteen", "weights": "safety"}, "weights"),
        ({"kind": "canteen", "weights": "gossip:1"}, "weights"),
        ({"kind": "canteen", "weights": "safety:lots"}, "weights"),
        ({"kind": "canteen", "include_planned": "maybe"}, "include_planned"),
    ],
)
def test_it_names_the_bad_field(staff_client, params, field):
    response = staff_client.get(reverse("maps:gap-cells"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_names_a_bad_site_count(staff_client):
    for n in ("0", "51", "several"):
        response = staff_client.get(reverse("maps:gap-sites"), {"kind": "canteen", "n": n})
        assert response.status_code == 400
        assert "n" in response.json()["errors"]


def test_it_refuses_a_grid_too_large_for_the_area_before_reading_cases(
    staff_client, django_assert_max_num_queries
):
    area = make_area(square(100.0, 30.0, 5.0))  # ~480 x 560 km: 2.7M cells of 200 m
    # session, user, area, its extent, two reads of the shared (database) cache: no grid
    with django_assert_max_num_queries(8):
        response = staff_client.get(
            reverse("maps:gap-cells"), {"kind": "canteen", "cell": "200", "area": area.adcode}
        )
    assert response.status_code == 400
    assert "cell" in response.json()["errors"]


def test_it_refuses_more_cells_with_demand_than_allowed(staff_client, monkeypatch):
    monkeypatch.setattr("maps.gaps.MAX_CELLS", 2)
    for k in range(3):
        cases_at(116.4 + k * 0.05, 39.9, 1, shortage("canteen"))
    response = staff_client.get(reverse("maps:gap-cells"), {"kind": "canteen"})
    assert response.status_code == 400
    assert "more than 2 cells" in response.json()["errors"]["cell"][0]
    monkeypatch.setattr("maps.gaps.MAX_CELLS", 3)
    assert staff_client.get(reverse("maps:gap-cells"), {"kind": "canteen"}).status_code == 200


@pytest.mark.parametrize(
    "hours",
    ["late", "22:00", "22-02", "22:00-02:00-04:00", "25:00-02:00", "22:00-22:00", "00:00-00:00",
     "Xy 22:00-02:00", "Mo-Fx 22:00-02:00", "Mo-Fr 22:00-02:00; Sa 10:00-12:00",
     "22:00-02:00,03:00-04:00"],
)
def test_it_names_a_bad_time_window(staff_client, hours):
    for name in ("maps:gap-cells", "maps:gap-sites"):
        response = staff_client.get(reverse(name), {"kind": "canteen", "hours": hours})
        assert response.status_code == 400
        assert "hours" in response.json()["errors"]


def test_it_names_an_unknown_measure(staff_client):
    response = staff_client.get(reverse("maps:gap-cells"), {"kind": "canteen", "measure": "vibes"})
    assert response.status_code == 400
    assert "measure" in response.json()["errors"]
