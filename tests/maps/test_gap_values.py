"""Gap values on a small hand-made grid whose answers are known by construction."""

from datetime import datetime, timedelta

import pytest
from django.db import connection

from cases.models import Category
from maps.gaps import GapQuery, gap_cells
from maps.grid import cell_rings
from stations.hours import LOCAL_ZONE
from stations.models import FacilityKind, FacilityStatus
from tests.factories import make_area, make_facility, square
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

CELL = 1000
KIND = FacilityKind.CHARGING_POINT


def geodesic_m(a, b) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography,"
            " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)", [*a, *b],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def grid(db):
    """Three cells 4 km apart near Beijing:

    A: 3 charging-shortage cases; an open charging point 400 m north of its centre.
    B: 2 charging-shortage cases; a *planned* charging point 300 m east of its centre and a rest
       station (another kind) right at it.
    C: one wage-arrears and one canteen-shortage case (other categories); a *closed* charging
       point at its centre.
    """
    i, j = cell_of(116.40, 39.90, CELL)
    a, b, c = (i, j), (i + 4, j), (i, j + 4)
    ca, cb, cc = (centre_of(*key, CELL) for key in (a, b, c))
    cases_at(*offset(*ca, east_m=100), 3, shortage(KIND))
    cases_at(*offset(*cb, north_m=-100), 2, shortage(KIND))
    cases_at(*cc, 1, Category.WAGE_ARREARS)
    cases_at(*cc, 1, Category.CANTEEN_SHORTAGE)
    served_by = offset(*ca, north_m=400)
    make_facility(*served_by, kind=KIND)
    make_facility(*offset(*cb, east_m=300), kind=KIND, status=FacilityStatus.PLANNED)
    make_facility(*cb, kind=FacilityKind.REST_STATION)
    make_facility(*cc, kind=KIND, status=FacilityStatus.CLOSED)
    return {"a": a, "b": b, "c": c, "centres": {"a": ca, "b": cb, "c": cc}, "open": served_by}


def by_key(result):
    return {(cell.i, cell.j): cell for cell in result.cells}


def test_it_counts_demand_measures_the_nearest_facility_and_flags_unmet_cells(grid):
    result = gap_cells(GapQuery(kind=KIND, radius=1000, cell=CELL))
    cells = by_key(result)
    assert set(cells) == {grid["a"], grid["b"]}  # C has no demand of this kind
    a, b = cells[grid["a"]], cells[grid["b"]]
    assert (a.demand, b.demand) == (3, 2)
    assert a.nearest_m == pytest.approx(400, rel=1e-3)
    assert a.unmet_demand == 0
    # B's nearest open charging point is A's, ~4 km away: the planned one and the rest station
    # next to it do not count.
    assert b.nearest_m == pytest.approx(geodesic_m(grid["centres"]["b"], grid["open"]), abs=0.5)
    assert b.nearest_m > 3500
    assert b.unmet_demand == 2
    assert [(c.i, c.j) for c in result.cells] == [grid["b"], grid["a"]]  # worst first
    assert (result.total_demand, result.unmet_demand) == (5, 2)
    assert result.summary()["covered_share"] == pytest.approx(0.6)


def test_it_counts_planned_facilities_on_request(grid):
    cells = by_key(gap_cells(GapQuery(kind=KIND, cell=CELL, include_planned=True)))
    assert cells[grid["b"]].nearest_m == pytest.approx(300, rel=1e-3)
    assert cells[grid["b"]].unmet_demand == 0


def test_it_reports_the_cell_centre_and_outline_in_wgs84(grid):
    a = by_key(gap_cells(GapQuery(kind=KIND, cell=CELL)))[grid["a"]]
    assert (a.lon, a.lat) == pytest.approx(grid["centres"]["a"], abs=1e-9)
    (ring,) = cell_rings(CELL, [grid["a"]])
    assert len(ring) == 5 and ring[0] == ring[-1]
    # Each corner is ~707 m from the centre of a 1 km equal-area cell (0.906-1.103 scale).
    for corner in ring[:4]:
        assert 600 < geodesic_m(grid["centres"]["a"], corner) < 800


def test_it_weights_cases_of_other_categories(grid):
    cells = by_key(gap_cells(GapQuery(kind=KIND, cell=CELL, other_weight=0.5)))
    assert cells[grid["c"]].demand == pytest.approx(1.0)  # 0.5 + 0.5
    assert cells[grid["c"]].unmet_demand == pytest.approx(1.0)
    assert cells[grid["a"]].demand == 3  # shortage cases still count 1

    cells = by_key(gap_cells(
        GapQuery(kind=KIND, cell=CELL, weights=((Category.WAGE_ARREARS, 0.25),))
    ))
    assert cells[grid["c"]].demand == pytest.approx(0.25)


def test_it_restricts_demand_to_the_categories_asked(grid):
    cells = by_key(gap_cells(GapQuery(
        kind=KIND, cell=CELL, other_weight=1.0, categories=(Category.WAGE_ARREARS,)
    )))
    assert set(cells) == {grid["c"]}
    assert cells[grid["c"]].demand == 1


def test_it_is_empty_when_every_category_is_filtered_out(grid):
    result = gap_cells(GapQuery(kind=KIND, cell=CELL, categories=(Category.SAFETY,)))
    assert result.cells == [] and result.total_demand == 0


def test_it_filters_cases_by_local_day(grid):
    i, j = grid["a"]
    lon, lat = offset(*grid["centres"]["a"], east_m=-200)
    day = datetime(2026, 3, 10, 0, 30, tzinfo=LOCAL_ZONE)  # 16:30 UTC the day before
    cases_at(lon, lat, 4, shortage(KIND), created_at=day)
    cases_at(lon, lat, 5, shortage(KIND), created_at=day + timedelta(days=2))
    only_day = GapQuery(kind=KIND, cell=CELL, since=day.date(), until=day.date())
    assert by_key(gap_cells(only_day))[(i, j)].demand == 4
    from_next = GapQuery(kind=KIND, cell=CELL, since=day.date() + timedelta(days=1))
    assert by_key(gap_cells(from_next))[(i, j)].demand == 3 + 5  # the fixture's are from today


def test_it_counts_only_cases_in_the_area_and_its_sub_areas(grid):
    lon, lat = grid["centres"]["a"]
    city = make_area(square(lon - 0.05, lat - 0.05, 0.1), level="city")
    town = make_area(square(lon - 0.01, lat - 0.01, 0.02), parent=city, level="town")
    cases_at(lon, lat, 2, shortage(KIND), area=town)
    cells = by_key(gap_cells(GapQuery(kind=KIND, cell=CELL, area=city)))
    assert {key: cell.demand for key, cell in cells.items()} == {grid["a"]: 2}
