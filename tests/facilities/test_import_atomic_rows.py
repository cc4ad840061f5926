"""A row the database refuses is rejected alone; the rest of its chunk is kept, none half-written."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from stations import facility_import
from stations.models import Facility

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _english():
    # These tests read the report in English; tests/i18n/test_command_output.py checks that it
    # is Chinese by default.
    with translation.override("en"):
        yield



def test_it_keeps_the_rest_of_a_chunk_the_database_refused(tmp_path, monkeypatch):
    # Let a row past validation that the named check constraint then refuses.
    monkeypatch.setattr(Facility, "clean", lambda self: None)
    path = tmp_path / "f.csv"
    path.write_text(
        "external_id,kind,name,lat,lon,sockets\n"
        "A,rest_station,好,39.9,116.4,\n"
        "B,rest_station,坏,39.9,116.4,3\n"
        "C,charging_point,好,39.9,116.4,3\n",
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 rows were rejected"):
        call_command("import_facilities", str(path), stdout=out)
    assert "created 2, updated 0, rejected 1" in out.getvalue()
    assert "line 3 (B): refused by the database" in out.getvalue()
    assert "facility_sockets_only_charging_point" in out.getvalue()
    assert sorted(Facility.objects.values_list("external_id", flat=True)) == ["A", "C"]


def test_it_writes_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(facility_import, "CHUNK", 2)
    path = tmp_path / "f.csv"
    path.write_text(
        "external_id,kind,name,lat,lon\n"
        + "".join(f"X{n},rest_station,站{n},39.9,116.{n}\n" for n in range(5)),
        encoding="utf-8",
    )
    report = facility_import.import_facilities(path)
    assert (report.created, report.updated, report.rejected) == (5, 0, [])
    assert Facility.objects.count() == 5
