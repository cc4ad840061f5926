"""2SFCA and E2SFCA ratios per cell agree with PySAL `access` on a small built instance.

`access` gets the same inputs (cell demand, facility supply, and the ellipsoidal distance of every
cell-facility pair measured by PostGIS) and computes the ratios its own way (pandas); ours come
from one SQL statement.
"""

import pandas as pd
import pytest
from access import Access, weights
from django.db import connection

from maps.capacity import DEFAULT_SUPPLY, SIGMA_SHARE, capacity_cells
from maps.gaps import GapQuery
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

CELL = 500
RADIUS = 1500
KIND = FacilityKind.REST_STATION


@pytest.fixture
def instance(db):
    """Eight demand cells (1 to 8 cases) in a 2 x 4 block of 500 m cells with gaps between, and
    four stations around them: 6 seats, 25 seats, none given (the default), and 3 seats far
    off, out of everyone's reach; so catchments overlap, some cells share stations, one cell
    (the far east) has none."""
    i0, j0 = cell_of(116.40, 39.90, CELL)
    keys = [(i0 + 2 * a, j0 + 2 * b) for a in range(4) for b in range(2)]
    keys[-1] = (i0 + 14, j0)  # ~5 km east of the rest
    for count, key in enumerate(keys, start=1):
        cases_at(*offset(*centre_of(*key, CELL), east_m=50), count, shortage(KIND))
    origin = centre_of(i0, j0, CELL)
    make_facility(*offset(*origin, east_m=300, north_m=200), kind=KIND, seats=6)
    make_facility(*offset(*origin, east_m=2100, north_m=700), kind=KIND, seats=25)
    make_facility(*offset(*origin, east_m=1200, north_m=-400), kind=KIND)
    make_facility(*offset(*origin, east_m=-9000), kind=KIND, seats=3)


def access_inputs(query: GapQuery, result):
    demand = pd.DataFrame(
        {"demand": [c.demand for c in result.cells]},
        index=pd.Index([f"{c.i}:{c.j}" for c in result.cells], name="geoid"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, coalesce(seats, %s), location FROM stations_facility WHERE kind = %s",
            [DEFAULT_SUPPLY[KIND], KIND],
        )
        facilities = cursor.fetchall()
        costs = []
        for cell in result.cells:
            for fid, _seats, location in facilities:
                cursor.execute(
                    "SELECT ST_Distance(%s::geometry::geography,"
                    " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)",
                    [location, cell.lon, cell.lat],
                )
                costs.append((f"{cell.i}:{cell.j}", f"f{fid}", cursor.fetchone()[0]))
    supply = pd.DataFrame(
        {"supply": [float(s) for _, s, _ in facilities]},
        index=pd.Index([f"f{fid}" for fid, _, _ in facilities], name="geoid"),
    )
    cost = pd.DataFrame(costs, columns=["origin", "dest", "cost"])
    return Access(
        demand_df=demand, demand_value="demand", supply_df=supply, supply_value="supply",
        cost_df=cost, cost_origin="origin", cost_dest="dest", cost_name="cost",
    )


def or_zero(value) -> float:
    """access leaves a cell with no facility in reach NaN (or out); ours says 0 supply."""
    return 0.0 if value is None or pd.isna(value) else float(value)


def test_the_ratios_equal_access_s(instance):
    query = GapQuery(kind=KIND, radius=RADIUS, cell=CELL)
    result = capacity_cells(query)
    assert len(result.cells) == 8
    acc = access_inputs(query, result)
    two = acc.two_stage_fca(name="r2", max_cost=RADIUS)["r2_supply"]
    enhanced = acc.enhanced_two_stage_fca(
        name="re", max_cost=RADIUS, weight_fn=weights.gaussian(SIGMA_SHARE * RADIUS)
    )["re_supply"]
    for cell in result.cells:
        key = f"{cell.i}:{cell.j}"
        assert cell.ratio_2sfca == pytest.approx(or_zero(two.get(key)), abs=1e-6)
        assert cell.ratio_e2sfca == pytest.approx(or_zero(enhanced.get(key)), abs=1e-6)
    # The instance is not degenerate: shared stations, a cell without any, and both sides of 1.
    ratios = sorted(c.ratio_2sfca for c in result.cells)
    assert ratios[0] == 0 and any(0 < r < 1 for r in ratios) and ratios[-1] > 1
    assert len({round(r, 9) for r in ratios}) >= 4
