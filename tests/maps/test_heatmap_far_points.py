"""A point the equal-area projection cannot take (near a pole, far outside China) does not break
the heatmap for everyone: the grid leaves it out."""

import pytest
from django.contrib.gis.geos import Point

from cases.models import Case, Category
from maps import pages
from maps.grid import count_cells
from tests.factories import make_case
from tests.maps.support import cases_at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lon,lat", [(0.0, -89.99), (-75.0, -90.0), (105.0, 89.99), (120.0, -85.0)])
def test_the_heatmap_survives_a_point_near_a_pole(lon, lat):
    cases_at(116.40, 39.90, 3, Category.SAFETY)
    make_case(location=Point(lon, lat, srid=4326))

    result = pages.heatmap()

    assert result.cases == 3 and result.cells == 1
    assert sum(c.count for c in count_cells(Case.objects.all(), 500)) == 3


def test_the_gap_analysis_survives_a_point_near_a_pole():
    from maps.gaps import GapQuery, gap_cells
    from stations.models import FacilityKind

    cases_at(116.40, 39.90, 3, Category.CHARGING_SHORTAGE)
    make_case(location=Point(0.0, -89.99, srid=4326), category=Category.CHARGING_SHORTAGE)

    result = gap_cells(GapQuery(kind=FacilityKind.CHARGING_POINT, radius=1000, cell=500))

    assert sum(c.demand for c in result.cells) == 3
