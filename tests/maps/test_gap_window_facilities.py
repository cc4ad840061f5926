"""A time window keeps only the facilities open throughout it."""

from datetime import datetime

import pytest

from maps.gaps import GapQuery, gap_cells
from maps.window import parse_window
from stations.hours import LOCAL_ZONE
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

CELL = 1000
KIND = FacilityKind.REST_STATION
# A Wednesday, 23:30 local: inside every night window below.
WED_NIGHT = datetime(2026, 11, 25, 23, 30, tzinfo=LOCAL_ZONE)


@pytest.fixture
def two_cells(db):
    """Cell D near a day-only station (08:00-18:00), cell N near a 24 h one, 10 km apart;
    two night-time shortage cases in each."""
    i, j = cell_of(116.40, 39.90, CELL)
    d, n = (i, j), (i + 10, j)
    cd, cn = centre_of(*d, CELL), centre_of(*n, CELL)
    cases_at(*cd, 2, shortage(KIND), created_at=WED_NIGHT)
    cases_at(*cn, 2, shortage(KIND), created_at=WED_NIGHT)
    make_facility(*offset(*cd, east_m=200), kind=KIND, opening_hours="08:00-18:00")
    make_facility(*offset(*cn, east_m=200), kind=KIND, opening_hours="24/7")
    return d, n


def unmet(window: str | None) -> dict:
    query = GapQuery(kind=KIND, cell=CELL, window=parse_window(window) if window else None)
    return {(c.i, c.j): c.unmet_demand for c in gap_cells(query).cells}


def test_it_drops_a_day_only_facility_at_night_and_keeps_a_24h_one(two_cells):
    d, n = two_cells
    assert unmet(None) == {d: 0, n: 0}
    assert unmet("22:00-02:00") == {d: 2, n: 0}


def test_it_keeps_a_facility_open_throughout_the_window(two_cells):
    d, n = two_cells
    # Wednesday-only night window: the cases (Wednesday 23:30) fall in it; an evening-and-night
    # station open Mo-Fr 18:00-03:00 covers Wednesday 22:00 to Thursday 02:00.
    make_facility(*offset(*centre_of(*d, CELL), north_m=300), kind=KIND,
                  opening_hours="Mo-Fr 18:00-03:00")
    assert unmet("We 22:00-02:00") == {d: 0, n: 0}


def test_it_drops_a_facility_closed_for_part_of_the_window(two_cells):
    d, n = two_cells
    # Open Wednesday night until 01:00 only: not throughout 22:00-02:00.
    make_facility(*offset(*centre_of(*d, CELL), north_m=300), kind=KIND,
                  opening_hours="Mo-Fr 18:00-01:00")
    assert unmet("We 22:00-02:00") == {d: 2, n: 0}


def test_it_needs_the_hours_on_the_weekdays_of_the_window_only(two_cells):
    d, n = two_cells
    # Open Wednesday and Thursday nights only: fine for a Wednesday window, not for Mo-Fr.
    make_facility(*offset(*centre_of(*d, CELL), north_m=300), kind=KIND,
                  opening_hours="We,Th 20:00-04:00")
    assert unmet("We 22:00-02:00") == {d: 0, n: 0}
    assert unmet("Mo-Fr 22:00-02:00") == {d: 2, n: 0}
