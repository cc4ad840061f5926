"""/maps/facilities/: a clustered layer per kind with popups and rings, or grid counts when large."""

import json
import re
from datetime import datetime

import pytest
from django.urls import reverse

from maps import pages
from stations.hours import LOCAL_ZONE
from stations.models import FacilityKind, FacilityStatus
from tests.factories import make_area, make_facility, square
from tests.maps.support import offset

HOME = (116.40, 39.90)
TUESDAY_NOON = datetime(2026, 3, 10, 12, 0, tzinfo=LOCAL_ZONE)


@pytest.fixture
def facilities(db):
    # A town around HOME only; facilities get their area when saved, so it comes first.
    town = make_area(square(HOME[0] - 0.001, HOME[1] - 0.001, 0.002), level="town")
    make_facility(*HOME, kind=FacilityKind.CANTEEN, name="午餐 Lunch",
                  opening_hours="Mo-Fr 11:00-14:00", amenities=["microwave"])
    make_facility(*offset(*HOME, east_m=500), kind=FacilityKind.CANTEEN, name="晚餐 Dinner",
                  opening_hours="Mo-Su 17:00-21:00")
    make_facility(*offset(*HOME, north_m=500), kind=FacilityKind.CHARGING_POINT, name="充电 Charge")
    make_facility(*offset(*HOME, east_m=-500),
                  kind=FacilityKind.REST_STATION, name="已关闭 Gone", status=FacilityStatus.CLOSED)
    return town


def script_of(result) -> str:
    return str(result.parts.script)


def features(result) -> list[dict]:
    """The properties of every point the map draws (not the area's outline, a lone Feature)."""
    blobs = re.findall(r"_add\((\{.*?\})\);\n", script_of(result))
    return [f["properties"] for blob in blobs for f in json.loads(blob).get("features", [])]


def test_it_draws_each_facility_with_its_popup_data_and_open_now(facilities):
    result = pages.facility_map(now=TUESDAY_NOON)
    assert (result.count, result.clustered_by_grid) == (3, False)
    assert script_of(result).count("L.markerClusterGroup(") == 3  # a clustered layer per kind
    drawn = {p["n"]: p for p in features(result) if "n" in p}
    assert set(drawn) == {"午餐 Lunch", "晚餐 Dinner", "充电 Charge"}  # not the closed one
    assert drawn["午餐 Lunch"] == {
        "n": "午餐 Lunch", "k": "canteen", "ad": "", "p": "", "h": "Mo-Fr 11:00-14:00",
        "a": ["microwave"], "s": "open", "o": True,
    }
    assert drawn["晚餐 Dinner"]["o"] is False
    assert drawn["充电 Charge"]["o"] is True  # 24/7


def test_it_offers_service_radius_rings_switched_off_by_default(facilities):
    script = script_of(pages.facility_map(radius=1500, now=TUESDAY_NOON))
    assert script.count("waystation.ring(1500)") == 3
    # In the layer control, but not added to the map until switched on.
    name = json.dumps("服务半径 1500 米：食堂")
    (layer,) = re.findall(re.escape(name) + r" : (geo_json_\w+)", script)
    assert f"{layer}.addTo(" not in script


def test_it_shows_one_kind_or_one_area_on_request(facilities):
    assert pages.facility_map(kind=FacilityKind.CANTEEN).count == 2
    result = pages.facility_map(area=facilities)
    assert result.count == 1
    assert [p["n"] for p in features(result) if "n" in p] == ["午餐 Lunch"]


def test_it_draws_grid_counts_instead_of_markers_when_there_are_many(facilities, monkeypatch):
    monkeypatch.setattr(pages, "FACILITY_MARKER_LIMIT", 2)
    result = pages.facility_map()
    assert result.clustered_by_grid
    assert "waystation.countMarker" in script_of(result)
    drawn = features(result)
    assert sum(p["n"] for p in drawn) == 3  # counts per kind and cell, no names
    assert all(set(p) == {"n"} for p in drawn)


def test_it_says_how_it_draws_on_the_page(client, facilities, monkeypatch):
    html = client.get(reverse("maps:facility-map")).content.decode()
    assert "3 个设施" in html and "点击设施查看详情" in html
    monkeypatch.setattr(pages, "FACILITY_MARKER_LIMIT", 2)
    html = client.get(reverse("maps:facility-map"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "shown as counts per" in html


def test_it_names_bad_parameters(client, db):
    response = client.get(
        reverse("maps:facility-map"), {"kind": "spaceport", "radius": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kind:" in html and "Service radius (m):" in html


def test_clusters_are_drawn_in_their_kinds_colour(facilities):
    # marker-cluster's own green/yellow/orange would read as kinds in the legend
    script = script_of(pages.facility_map(now=TUESDAY_NOON))
    for kind in FacilityKind.values:
        assert re.search(rf'iconCreateFunction =\s+waystation\.clusterIcon\("{kind}"\);', script)
