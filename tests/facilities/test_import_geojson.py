"""manage.py import_facilities FILE.geojson: the same rules for GeoJSON features."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from stations.models import Facility

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _english():
    # These tests read the report in English; tests/i18n/test_command_output.py checks that it
    # is Chinese by default.
    with translation.override("en"):
        yield



def feature(coords, **props):
    geometry = {"type": "Point", "coordinates": coords} if coords else None
    return {"type": "Feature", "geometry": geometry, "properties": props}


def test_it_imports_features_and_reports_bad_ones_by_number(tmp_path):
    path = tmp_path / "facilities.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature([116.4, 39.9], external_id="G-1", kind="canteen", name="食堂",
                amenities=["microwave"], meal_price_min="9.5", meal_price_max="18"),
        feature([116.5, 39.9], external_id="G-2", kind="rest_station", name="驿站",
                amenities="toilet;wifi", opening_hours="Mo-Su 18:00-02:00"),
        feature(None, external_id="G-3", kind="rest_station", name="无坐标"),
        feature([116.5, 39.9], external_id="G-4", kind="rest_station", name="时间",
                opening_hours="whenever"),
        feature([116.5, 39.9], kind="rest_station", name="无编号"),
    ]}), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="3 rows were rejected"):
        call_command("import_facilities", str(path), stdout=out)
    output = out.getvalue()
    assert "created 2, updated 0, rejected 3" in output
    assert "feature 3 (G-3)" in output and "location" in output
    assert "feature 4 (G-4)" in output and "opening_hours" in output
    assert "feature 5 (no external_id)" in output
    assert Facility.objects.get(external_id="G-2").amenities == ["toilet", "wifi"]
    assert Facility.objects.get(external_id="G-1").location.coords == (116.4, 39.9)
