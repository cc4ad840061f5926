"""Opening hours read back in the reader's language, and when a place next opens or closes."""

from datetime import datetime

import pytest
from django.utils import translation

from stations.details import readable_hours
from stations.hours import LOCAL_ZONE, next_change, parse_hours

MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=LOCAL_ZONE)


@pytest.mark.parametrize(("text", "zh", "en"), [
    ("Mo-Su 10:30-13:30,16:30-20:00", "每天 10:30–13:30、16:30–20:00",
     "Daily 10:30–13:30, 16:30–20:00"),
    ("24/7", "24 小时开放", "Open 24 hours"),
    ("Mo-Fr 08:00-20:00; Sa,Su 10:00-16:00", "周一至周五 08:00–20:00；周六至周日 10:00–16:00",
     "Mon–Fri 08:00–20:00; Sat–Sun 10:00–16:00"),
    ("Mo-Su 18:00-02:00", "每天 18:00–02:00", "Daily 18:00–02:00"),
    ("Sa 09:00-12:00", "周六 09:00–12:00", "Sat 09:00–12:00"),
])
def test_it_reads_hours_in_chinese_and_english(text, zh, en):
    hours = parse_hours(text)
    with translation.override("zh-hans"):
        assert readable_hours(hours) == zh
    with translation.override("en"):
        assert readable_hours(hours) == en


def test_it_says_when_an_open_place_closes():
    is_open, when = next_change(parse_hours("Mo-Fr 08:00-20:00"), MONDAY_NOON)
    assert is_open and when == datetime(2026, 11, 30, 20, 0, tzinfo=LOCAL_ZONE)


def test_it_says_when_a_closed_place_opens_across_the_weekend():
    saturday = datetime(2026, 12, 5, 9, 0, tzinfo=LOCAL_ZONE)
    is_open, when = next_change(parse_hours("Mo-Fr 08:00-20:00"), saturday)
    assert not is_open and when == datetime(2026, 12, 7, 8, 0, tzinfo=LOCAL_ZONE)


def test_an_overnight_interval_closes_on_monday_morning():
    monday_1am = datetime(2026, 11, 30, 1, 0, tzinfo=LOCAL_ZONE)
    is_open, when = next_change(parse_hours("Mo-Su 18:00-02:00"), monday_1am)
    assert is_open and when == datetime(2026, 11, 30, 2, 0, tzinfo=LOCAL_ZONE)


def test_a_place_open_round_the_clock_never_changes():
    assert next_change(parse_hours("24/7"), MONDAY_NOON) is None
