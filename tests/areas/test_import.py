import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from stations.models import Area, AreaPiece


# The real areas may be loaded in the test database; these tests use adcodes 1001xx only.
def ours():
    return Area.objects.filter(adcode__startswith="1001")

@pytest.fixture(autouse=True)
def _english():
    # These tests read the report in English; tests/i18n/test_command_output.py checks that it
    # is Chinese by default.
    with translation.override("en"):
        yield



def feature(adcode, name, level, parent, ring, **extra):
    return {
        "type": "Feature",
        "properties": {"adcode": adcode, "name": name, "level": level, "parent_adcode": parent, **extra},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARE = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
SMALL = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
BOWTIE = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]  # self-intersecting
LINE = [[0, 0], [1, 1], [0, 0], [1, 1]]  # no area at all


def write(tmp_path, *features):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return str(path)


def run(path, *flags):
    out = StringIO()
    call_command("import_areas", path, *flags, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_children_after_parents_whatever_the_file_order(tmp_path):
    path = write(
        tmp_path,
        feature("100101", "区", "district", "100100", SMALL),
        feature("100100", "市", "city", "", SQUARE),
    )
    output = run(path)
    assert "created 2" in output
    district = Area.objects.get(adcode="100101")
    assert district.parent.adcode == "100100"
    assert district.path == "100100/100101/"
    assert AreaPiece.objects.filter(area=district).exists()


@pytest.mark.django_db
def test_it_repairs_an_invalid_geometry_and_reports_it(tmp_path):
    output = run(write(tmp_path, feature("100100", "市", "city", "", BOWTIE)))
    assert "repaired feature 1 (100100)" in output
    assert "Self-intersection" in output
    area = Area.objects.get(adcode="100100")
    assert area.boundary.valid
    assert area.boundary.area == pytest.approx(0.5)


@pytest.mark.django_db
def test_it_rejects_rows_with_their_reasons_and_keeps_the_good_ones(tmp_path):
    output = run(
        write(
            tmp_path,
            feature("100100", "市", "city", "", SQUARE),
            feature("100101", "区", "district", "999999", SMALL),
            feature("100102", "区", "county", "100100", SMALL),
            feature("100103", "区", "district", "100100", LINE),
            feature("100104", "镇", "town", "100101", SMALL),
        )
    )
    assert "feature 2 (100101): parent 999999 is neither in the file nor in the database" in output
    assert "feature 3 (100102): level “county” is not one of" in output
    assert "feature 4 (100103)" in output
    assert "feature 5 (100104): parent 100101 was rejected" in output
    assert "created 1" in output and "rejected 4" in output
    assert list(ours().values_list("adcode", flat=True)) == ["100100"]


@pytest.mark.django_db
def test_it_finds_a_parent_already_in_the_database(tmp_path):
    run(write(tmp_path, feature("100100", "市", "city", "", SQUARE)))
    run(write(tmp_path, feature("100101", "区", "district", "100100", SMALL)))
    assert Area.objects.get(adcode="100101").parent.adcode == "100100"


@pytest.mark.django_db
def test_it_upserts_by_adcode(tmp_path):
    run(write(tmp_path, feature("100100", "旧名", "city", "", SQUARE)))
    output = run(write(tmp_path, feature("100100", "新名", "city", "", SQUARE, name_en="New")))
    assert "created 0, updated 1" in output
    area = Area.objects.get(adcode="100100")
    assert (area.name, area.name_en) == ("新名", "New")
    assert "unchanged 1" in run(write(tmp_path, feature("100100", "新名", "city", "", SQUARE, name_en="New")))


@pytest.mark.django_db
def test_a_dry_run_reports_real_counts_and_writes_nothing(tmp_path):
    output = run(write(tmp_path, feature("100100", "市", "city", "", SQUARE)), "--dry-run")
    assert "created 1" in output and "nothing written" in output
    assert not ours().exists()


@pytest.mark.django_db
def test_a_strict_import_with_a_rejected_row_leaves_the_database_as_it_was(tmp_path):
    run(write(tmp_path, feature("100100", "市", "city", "", SQUARE)))
    path = write(
        tmp_path,
        feature("100100", "改名", "city", "", SQUARE),
        feature("100101", "区", "district", "100100", SMALL),
        feature("100102", "区", "district", "999999", SMALL),
    )
    with pytest.raises(CommandError, match="1 rows rejected"):
        run(path, "--strict")
    assert list(ours().values_list("adcode", "name")) == [("100100", "市")]


@pytest.mark.django_db
def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not a readable GeoJSON file"):
        run(str(path))
