"""The facility nearest in the equal-area projection is not always nearest on the ground.

At 40° N a projected metre is ~0.91 true metres east-west and ~1.10 north-south, so a facility
1000 m east (912 projected metres) outranks one 950 m north (1042 projected metres) in a KNN on
`location_ea`. The gap analysis must still find the northern one when the radius lies between.
"""

import pytest

from maps.gaps import GapQuery, gap_cells
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

KIND = FacilityKind.CANTEEN


@pytest.fixture
def centre(db):
    key = cell_of(116.40, 40.00, 500)
    lon, lat = centre_of(*key, 500)
    cases_at(lon, lat, 2, shortage(KIND))
    make_facility(*offset(lon, lat, east_m=1000), kind=KIND, name="east")
    make_facility(*offset(lon, lat, north_m=950), kind=KIND, name="north")
    return key


def test_it_finds_the_nearer_facility_the_projection_ranks_second(centre):
    (cell,) = gap_cells(GapQuery(kind=KIND, cell=500, radius=980)).cells
    assert cell.nearest_m == pytest.approx(950, rel=1e-3)
    assert cell.unmet_demand == 0


def test_it_reports_the_exact_distance_of_unserved_cells(centre):
    (cell,) = gap_cells(GapQuery(kind=KIND, cell=500, radius=900)).cells
    assert cell.nearest_m == pytest.approx(950, rel=1e-3)
    assert cell.unmet_demand == 2


def test_it_reports_no_distance_and_all_demand_unmet_without_any_facility(db):
    lon, lat = centre_of(*cell_of(116.40, 40.00, 500), 500)
    cases_at(lon, lat, 3, shortage(FacilityKind.REST_STATION))
    (cell,) = gap_cells(GapQuery(kind=FacilityKind.REST_STATION, cell=500)).cells
    assert cell.nearest_m is None
    assert cell.unmet_demand == 3
