"""GET /api/gaps/?measure=capacity (and a window): ratios per cell, cells over capacity."""

from datetime import datetime

import pytest
from django.urls import reverse

from stations.hours import LOCAL_ZONE
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

KIND = FacilityKind.CHARGING_POINT
NIGHT = datetime(2026, 11, 25, 23, 0, tzinfo=LOCAL_ZONE)


@pytest.fixture
def crowded(db):
    """Cell A: 8 night cases beside a 2-socket charging point open round the clock; cell B, 10 km
    off: 2 night cases beside a 10-socket point open only by day."""
    i, j = cell_of(116.40, 39.90, 500)
    a, b = (i, j), (i + 20, j)
    cases_at(*centre_of(*a, 500), 8, shortage(KIND), created_at=NIGHT)
    cases_at(*centre_of(*b, 500), 2, shortage(KIND), created_at=NIGHT)
    make_facility(*offset(*centre_of(*a, 500), east_m=100), kind=KIND, sockets=2)
    make_facility(*offset(*centre_of(*b, 500), east_m=100), kind=KIND, sockets=10,
                  opening_hours="08:00-18:00")
    return f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}"


def cells(client, **params) -> tuple[dict, dict]:
    response = client.get(reverse("maps:gap-cells"), {"kind": KIND, "measure": "capacity", **params})
    assert response.status_code == 200
    body = response.json()
    return {f["id"]: f["properties"] for f in body["features"]}, body["summary"]


def test_it_returns_the_ratio_per_cell_and_flags_demand_over_supply(staff_client, crowded):
    a, b = crowded
    by_id, summary = cells(staff_client)
    assert by_id[a]["ratio_2sfca"] == pytest.approx(2 / 8)
    assert by_id[a]["exceeds_supply"] is True
    assert by_id[b]["ratio_2sfca"] == pytest.approx(10 / 2)
    assert by_id[b]["exceeds_supply"] is False
    # One facility, one cell in its reach: the decay weight cancels out.
    assert by_id[a]["ratio_e2sfca"] == pytest.approx(2 / 8)
    assert summary["cells_exceeding_supply"] == 1 and summary["demand_exceeding_supply"] == 8


def test_at_night_the_day_only_point_supplies_nothing(staff_client, crowded):
    a, b = crowded
    by_id, summary = cells(staff_client, hours="night")
    assert by_id[b]["ratio_2sfca"] == 0 and by_id[b]["exceeds_supply"] is True
    assert by_id[a]["ratio_2sfca"] == pytest.approx(2 / 8)
    assert summary["cells_exceeding_supply"] == 2
