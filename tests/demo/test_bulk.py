"""demo.bulk writes rows with COPY exactly as given, generated columns included."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from cases.models import Case
from demo.bulk import bulk_load_mode, copy_model_rows, encode_row, point, reserve_ids
from stations.models import Facility

pytestmark = pytest.mark.django_db


def test_it_copies_awkward_text_nulls_arrays_and_points(real_areas):
    (pk,) = reserve_ids(Facility, 1)
    when = datetime(2025, 3, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    name = 'tab\there, new\nline, back\\slash, "quoted"'
    written = copy_model_rows(
        Facility,
        ("id", "kind", "name", "location", "amenities", "meal_price_min", "meal_price_max",
         "opening_hours", "open_24h", "created_at", "updated_at"),
        [(pk, "canteen", name, point(120.7, 30.65), ["drinking_water", "a,b"], Decimal("8.5"),
          None, "24/7", True, when, when)],
    )
    assert written == 1
    facility = Facility.objects.get(pk=pk)
    assert facility.name == name
    assert facility.amenities == ["drinking_water", "a,b"]
    assert facility.meal_price_min == Decimal("8.5") and facility.meal_price_max is None
    assert facility.location.equals_exact(Point(120.7, 30.65, srid=4326), tolerance=0)
    assert facility.created_at == when
    # columns not named get the model's defaults; the equal-area column is computed by PostgreSQL
    assert facility.status == "open" and facility.battery_swap is False and facility.address == ""
    assert facility.location_ea is not None and facility.location_ea.srid == 102025


def test_it_refuses_values_it_cannot_write():
    with pytest.raises(TypeError):
        encode_row([object()])


def _schema(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass
            UNION ALL
            SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass
            """,
            [table, table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_it_drops_keys_and_indexes_for_a_bulk_load_and_restores_them_exactly(real_areas):
    before = _schema("cases_case")
    with bulk_load_mode(Case):
        during = _schema("cases_case")
        assert not any("FOREIGN KEY" in item for item in during)
        assert not any("USING gist" in item for item in during)
        assert any("PRIMARY KEY" in item for item in during)
        assert any("case_rating_1_to_5" in item for item in during)  # checks stay
    assert _schema("cases_case") == before
