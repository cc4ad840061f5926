"""The gap map draws the district's outline and the facilities that already serve, and its
tables hand the browser each row's place (longitude, latitude) to zoom to."""

import json
import re

import pytest
from django.urls import reverse

from maps import pages
from maps.gaps import GapQuery
from stations.models import FacilityKind
from tests.factories import make_area, make_facility, square
from tests.maps.support import cases_at, offset, shortage

pytestmark = pytest.mark.django_db
KIND = FacilityKind.CHARGING_POINT
HOME = (116.40, 39.90)


@pytest.fixture
def district():
    area = make_area(square(116.3, 39.8, 0.3), adcode="110105", name="朝阳区")
    for k in range(3):
        cases_at(*offset(*HOME, east_m=2000 * k), k + 1, shortage(KIND))
    make_facility(*HOME, kind=KIND, name="已有充电点")
    make_facility(*offset(*HOME, north_m=500), kind=FacilityKind.CANTEEN, name="食堂")
    make_facility(121.4, 31.2, kind=KIND, name="上海的充电点")  # far outside
    return area


def layers(script: str) -> list[dict]:
    return [json.loads(blob) for blob in re.findall(r"_add\((\{.*?\})\);\n", script)]


@pytest.mark.parametrize("with_area", [True, False])
def test_it_draws_the_existing_facilities_of_the_kind(district, with_area):
    query = GapQuery(kind=KIND, radius=1000, cell=500, area=district if with_area else None)
    result = pages.gap_map(query, 2)
    names = [f["properties"].get("n") for layer in layers(str(result.parts.script))
             for f in layer.get("features", []) if "n" in f["properties"]]
    assert names == ["已有充电点"] and result.facilities == 1


def test_it_draws_the_outline_of_the_area(district):
    result = pages.gap_map(GapQuery(kind=KIND, radius=1000, cell=500, area=district), 2)
    outlines = [layer for layer in layers(str(result.parts.script)) if layer["type"] == "Feature"]
    assert len(outlines) == 1
    assert outlines[0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert "waystation.outlineStyle" in str(result.parts.script)


def test_every_table_row_carries_its_place_in_longitude_latitude_order(staff_client, district):
    response = staff_client.get(reverse("maps:gap-map"), {"kind": KIND, "n": 2})
    html = response.content.decode()
    rows = re.findall(r'<tr tabindex="0" data-lon="([\d.]+)" data-lat="([\d.]+)"><td>([^<]*)</td>'
                      r'<td>([^<]*)</td>', html)
    assert len(rows) == 2 + len(response.context["page"].worst)
    for lon, lat, first, second in rows:
        shown = second if first.isdigit() else first  # sites lead with their rank
        shown_lon, shown_lat = (float(v) for v in shown.split(","))
        assert (shown_lon, shown_lat) == pytest.approx((float(lon), float(lat)), abs=1e-4)
        assert 116 < float(lon) < 117 and 39 < float(lat) < 40
    assert f'data-map="{response.context["map"].name}"' in html
