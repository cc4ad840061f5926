"""manage.py import_facilities FILE.csv: good rows kept, bad rows reported with line and reason."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from stations.coords import wgs84_to_gcj02
from stations.models import Facility
from tests.factories import make_area, square

pytestmark = pytest.mark.django_db

HEADER = ("external_id,kind,name,lat,lon,address,amenities,opening_hours,meal_price_min,"
          "meal_price_max,sockets,battery_swap\n")
GOOD = [
    'BJ-1,rest_station,望京驿站,39.99,116.47,"望京街 1 号",toilet;drinking_water,24/7,,,,\n',
    "BJ-2,canteen,职工食堂,39.95,116.45,,microwave,Mo-Fr 07:00-20:00,8,15,,\n",
    "BJ-3,charging_point,充电站,39.90,116.40,,,Mo-Su 18:00-02:00,,,6,true\n",
]
BAD = [
    "BJ-4,rest_station,坐标错,95.0,116.4,,,24/7,,,,\n",  # line 5
    "BJ-5,hotel,类型错,39.9,116.4,,,24/7,,,,\n",  # line 6
    "BJ-6,rest_station,设施错,39.9,116.4,,toilet;sauna,24/7,,,,\n",  # line 7
    "BJ-7,rest_station,时间错,39.9,116.4,,,Mo-Fr 8-20,,,,\n",  # line 8
    "BJ-8,rest_station,插座错,39.9,116.4,,,24/7,,,4,\n",  # line 9: sockets on a rest station
    "BJ-1,rest_station,重复,39.9,116.4,,,24/7,,,,\n",  # line 10: id already on line 2
]

@pytest.fixture(autouse=True)
def _english():
    # These tests read the report in English; tests/i18n/test_command_output.py checks that it
    # is Chinese by default.
    with translation.override("en"):
        yield



def run(tmp_path, lines, *args):
    """The command's output; it exits non-zero (CommandError) exactly when rows were rejected."""
    path = tmp_path / "facilities.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    out = StringIO()
    try:
        call_command("import_facilities", str(path), *args, stdout=out)
    except CommandError as exc:
        assert "rows were rejected" in str(exc)
        assert "rejected 0" not in out.getvalue()
    else:
        assert "rejected 0" in out.getvalue()
    return out.getvalue()


def test_it_keeps_good_rows_and_reports_each_bad_one(tmp_path):
    district = make_area(square(116.0, 39.5, 1.0))
    output = run(tmp_path, GOOD + BAD)
    assert set(Facility.objects.values_list("external_id", flat=True)) == {"BJ-1", "BJ-2", "BJ-3"}
    assert "created 3, updated 0, rejected 6" in output
    for line, field in [(5, "lat"), (6, "kind"), (7, "amenities"), (8, "opening_hours"),
                        (9, "sockets"), (10, "external_id already used on line 2")]:
        assert any(f"line {line} " in row and field in row for row in output.splitlines()), line
    canteen = Facility.objects.get(external_id="BJ-2")
    assert (canteen.meal_price_min, canteen.meal_price_max) == (8, 15)
    assert canteen.area == district
    charging = Facility.objects.get(external_id="BJ-3")
    assert (charging.sockets, charging.battery_swap, charging.open_24h) == (6, True, False)
    assert Facility.objects.get(external_id="BJ-1").amenities == ["drinking_water", "toilet"]


def test_it_updates_rows_it_has_seen_before(tmp_path):
    run(tmp_path, GOOD)
    first = Facility.objects.get(external_id="BJ-1")
    changed = GOOD[0].replace("望京驿站", "望京驿站（新）").replace("24/7", "06:00-22:00")
    output = run(tmp_path, [changed])
    assert "created 0, updated 1, rejected 0" in output
    again = Facility.objects.get(external_id="BJ-1")
    assert again.pk == first.pk and again.name == "望京驿站（新）" and not again.open_24h
    assert again.created_at == first.created_at
    assert Facility.objects.count() == 3


def test_it_writes_nothing_on_a_dry_run_but_counts_the_same(tmp_path):
    output = run(tmp_path, GOOD + BAD, "--dry-run")
    assert "created 3, updated 0, rejected 6 (dry run: nothing written)" in output
    assert not Facility.objects.exists()


def test_it_reads_points_in_gcj02(tmp_path):
    lon, lat = wgs84_to_gcj02(116.47, 39.99)
    run(tmp_path, [f"BJ-9,rest_station,火星坐标,{lat},{lon},,,24/7,,,,\n"], "--crs", "gcj02")
    point = Facility.objects.get().location
    assert point.x == pytest.approx(116.47, abs=1e-7) and point.y == pytest.approx(39.99, abs=1e-7)


def test_it_refuses_a_file_with_unknown_or_missing_columns(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("external_id,kind,name,lat,longitude\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns: lon.*unknown columns: longitude"):
        call_command("import_facilities", str(path), stdout=StringIO())
