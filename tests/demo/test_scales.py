"""The larger scales add background on top of the districts' own figures, up to their totals."""

import pytest

from demo import generate
from demo.load import plan_districts
from demo.places import district_sizes
from demo.spec import SCALES, URBAN_DISTRICT_WEIGHT
from stations.models import Area

pytestmark = pytest.mark.django_db


def _districts():
    nobody = generate.Office(None, "", None)
    return [
        generate.District(a.pk, a.adcode, a.name, a.name, (0.0, 0.0), nobody, nobody)
        for a in Area.objects.filter(level="district").order_by("adcode")
    ]


@pytest.mark.parametrize("scale", ["small", "city", "national"])
def test_it_plans_exactly_the_totals_of_the_scale(real_areas, scale):
    plans = plan_districts(1, scale, _districts())
    facilities = sum(b.count for p in plans for b in (*p.spec.facilities, *p.background_facilities))
    cases = sum(b.count for p in plans for b in (*p.spec.cases, *p.background_cases))
    target = SCALES[scale]
    if target.facilities is None:
        assert not any(p.background_facilities or p.background_cases for p in plans)
    else:
        assert (facilities, cases) == (target.facilities, target.cases)


def test_it_keeps_charging_points_away_from_wangdian_at_every_scale(real_areas):
    plans = {p.district.adcode: p for p in plan_districts(1, "national", _districts())}
    xiuzhou = plans["330411"].background_facilities
    assert all(b.avoid for b in xiuzhou if b.kind == "charging_point")
    # denser in urban districts (…区) than in counties (…县)
    km2 = district_sizes([real_areas[code].pk for code in ("110105", "330723")])
    chaoyang, wuyi = (
        sum(b.count for b in plans[code].background_facilities) / km2[real_areas[code].pk]
        for code in ("110105", "330723")
    )
    assert chaoyang == pytest.approx(URBAN_DISTRICT_WEIGHT * wuyi, rel=0.01)
