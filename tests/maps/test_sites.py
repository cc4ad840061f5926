"""Suggested sites on toy instances whose optimum is known by construction."""

import pytest
from django.db import connection

from maps.gaps import GapQuery, gap_cells
from maps.sites import candidates, suggest_sites
from stations.models import FacilityKind
from tests.factories import make_area, make_facility, square
from tests.maps.support import cases_at, cell_of, centre_of, shortage

KIND = FacilityKind.REST_STATION
CELL, RADIUS = 1000, 1500


def geodesic_m(a, b) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography,"
            " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)", [*a, *b],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def clusters(db):
    """Demand 5 + 5 in two cells 2 km apart (one site between them covers both), 7 in a cell
    10 km east, 3 in a cell 20 km east: with 2 sites the best possible is 17 of 20."""
    i, j = cell_of(116.40, 39.90, CELL)
    spots = {"west1": ((i, j), 5), "west2": ((i + 2, j), 5),
             "middle": ((i + 10, j), 7), "east": ((i + 20, j), 3)}
    centres = {}
    for name, (key, count) in spots.items():
        centres[name] = centre_of(*key, CELL)
        cases_at(*centres[name], count, shortage(KIND))
    return centres


def query(**kwargs):
    return GapQuery(kind=KIND, cell=CELL, radius=RADIUS, **kwargs)


def test_it_reaches_the_optimum_coverage_with_the_between_site_first(clusters):
    suggestion = suggest_sites(gap_cells(query()), 2)
    first, second = suggestion.sites
    assert (first.newly_covered, second.newly_covered) == (10, 7)
    assert (first.cumulative_covered, second.cumulative_covered) == (10, 17)
    assert second.cumulative_share == pytest.approx(17 / 20)
    # The first site is a cell without demand of its own, within reach of both western cells.
    site = (first.lon, first.lat)
    assert geodesic_m(site, clusters["west1"]) <= RADIUS
    assert geodesic_m(site, clusters["west2"]) <= RADIUS
    assert geodesic_m((second.lon, second.lat), clusters["middle"]) <= RADIUS


def test_it_keeps_existing_facilities_and_covers_what_they_leave(clusters):
    make_facility(*clusters["middle"], kind=KIND)
    suggestion = suggest_sites(gap_cells(query()), 5)
    assert [s.newly_covered for s in suggestion.sites] == [10, 3]  # then nothing is left
    assert suggestion.sites[-1].cumulative_share == pytest.approx(1.0)
    assert suggestion.summary()["covered_share_before"] == pytest.approx(7 / 20)


def test_it_pairs_cells_within_the_radius_on_the_ground(clusters):
    result = gap_cells(query())
    unserved = [cell for cell in result.cells if cell.unmet_demand > 0]
    pool = candidates(result)
    assert pool
    for cand in pool:
        within = {
            index for index, cell in enumerate(unserved)
            if geodesic_m((cand.lon, cand.lat), (cell.lon, cell.lat)) <= RADIUS
        }
        assert set(cand.covers) == within
    # ...and no cell centre that would serve some cell is missing.
    keys = {(cand.i, cand.j) for cand in pool}
    for cell in unserved:
        for di in range(-2, 3):
            for dj in range(-2, 3):
                centre = centre_of(cell.i + di, cell.j + dj, CELL)
                if geodesic_m(centre, (cell.lon, cell.lat)) <= RADIUS:
                    assert (cell.i + di, cell.j + dj) in keys


def test_it_places_sites_only_inside_the_area(db):
    i, j = cell_of(116.40, 39.90, CELL)
    lon, lat = centre_of(i, j, CELL)
    # Small enough that no neighbouring cell's centre is inside.
    area = make_area(square(lon - 0.003, lat - 0.003, 0.006))
    cases_at(lon, lat, 4, shortage(KIND), area=area)
    (site,) = suggest_sites(gap_cells(query(area=area)), 3).sites
    assert (site.lon, site.lat) == pytest.approx((lon, lat), abs=1e-9)
    assert site.newly_covered == 4
