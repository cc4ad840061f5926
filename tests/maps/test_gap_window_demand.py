"""Demand in a window: the cases whose local time of the week falls in it."""

from datetime import datetime, timedelta

import pytest
from django.db import connection

from cases.models import Case
from maps.gaps import CASE_MINUTE_OF_WEEK_SQL, GapQuery, gap_cells
from maps.window import parse_window
from stations.hours import LOCAL_ZONE, minute_of_week
from stations.models import FacilityKind
from tests.maps.support import cases_at, cell_of, centre_of, shortage

CELL = 1000
KIND = FacilityKind.CHARGING_POINT


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Local time on the day'th day of the week of Monday 2026-11-23 (0 = Monday)."""
    return datetime(2026, 11, 23, hour, minute, tzinfo=LOCAL_ZONE) + timedelta(days=day)


def demand(window: str | None) -> float:
    query = GapQuery(kind=KIND, cell=CELL, window=parse_window(window) if window else None)
    return gap_cells(query).total_demand


@pytest.fixture
def week_of_cases(db):
    centre = centre_of(*cell_of(116.40, 39.90, CELL), CELL)
    for moment in (
        at(0, 12), at(0, 23, 30),  # Monday noon and late Monday night
        at(1, 1, 59),  # Tuesday 01:59 (the tail of Monday night)
        at(1, 2, 0),  # Tuesday 02:00: just after a window ending at 02:00
        at(5, 23),  # Saturday night
        at(6, 22, 0),  # Sunday 22:00
        at(0, 1),  # Monday 01:00: the tail of Sunday night, across the week's end
    ):
        cases_at(*centre, 1, shortage(KIND), created_at=moment)


def test_it_counts_cases_in_an_every_day_window_across_midnight(week_of_cases):
    assert demand(None) == 7
    assert demand("22:00-02:00") == 5  # Mon 23:30, Tue 01:59, Sat 23:00, Sun 22:00, Mon 01:00


def test_it_counts_the_night_after_each_given_weekday(week_of_cases):
    assert demand("Mo 22:00-02:00") == 2  # Mon 23:30 and Tue 01:59
    assert demand("Sa,Su 22:00-02:00") == 3  # Sat 23:00, Sun 22:00 and Mon 01:00
    assert demand("Tu-Fr 22:00-02:00") == 0


def test_it_counts_a_day_window(week_of_cases):
    assert demand("day") == 1  # the preset 08:00-18:00: Monday noon


def test_the_sql_minute_of_the_week_agrees_with_stations_hours(db):
    moments = [at(0, 0), at(2, 13, 7), at(6, 23, 59), datetime(2027, 3, 1, 16, 5, tzinfo=LOCAL_ZONE)]
    for moment in moments:
        cases_at(116.4, 39.9, 1, shortage(KIND), created_at=moment)
    sql = CASE_MINUTE_OF_WEEK_SQL.format(column="created_at")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT created_at, {sql} FROM {Case._meta.db_table}")
        for created_at, minute in cursor.fetchall():
            assert minute == minute_of_week(created_at)
