"""Open now across midnight, over Sunday night into Monday, and round the clock."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.hours import LOCAL_ZONE
from stations.models import FacilityStatus
from tests.factories import make_facility

pytestmark = pytest.mark.django_db
NEAREST = reverse("stations:facility-nearest")
LIST = reverse("stations:facility-list")


@pytest.fixture
def places():
    return {
        "night": make_facility(116.401, 39.9, name="night", opening_hours="Mo-Su 18:00-02:00"),
        "weekend_night": make_facility(116.402, 39.9, name="weekend_night",
                                       opening_hours="Su 22:00-06:00"),
        "day": make_facility(116.403, 39.9, name="day", opening_hours="Mo-Fr 08:00-20:00"),
        "always": make_facility(116.404, 39.9, name="always", opening_hours="24/7"),
        "paused": make_facility(116.405, 39.9, name="paused", opening_hours="24/7",
                                status=FacilityStatus.TEMPORARILY_CLOSED),
    }


def at(monkeypatch, *args):
    moment = datetime(*args, tzinfo=LOCAL_ZONE)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def open_names(api, url):
    response = api.get(url, {"lat": 39.9, "lon": 116.4, "open_now": "true", "limit": 50})
    assert response.status_code == 200
    return {f["properties"]["name"] for f in response.json()["features"]}


@pytest.mark.parametrize("url", [NEAREST, LIST])
@pytest.mark.parametrize(
    "moment,expected",
    [
        # Wednesday 2026-11-25
        ((2026, 11, 25, 1, 30), {"night", "always"}),  # Tuesday's 18:00-02:00, past midnight
        ((2026, 11, 25, 2, 0), {"always"}),  # the end is exclusive
        ((2026, 11, 25, 12, 0), {"day", "always"}),
        ((2026, 11, 25, 19, 59), {"night", "day", "always"}),
        ((2026, 11, 25, 20, 0), {"night", "always"}),
        # Sunday 23:00 and Monday 05:59: Sunday's night runs into Monday morning
        ((2026, 11, 29, 23, 0), {"night", "weekend_night", "always"}),
        ((2026, 11, 30, 5, 59), {"weekend_night", "always"}),
        ((2026, 11, 30, 6, 0), {"always"}),
    ],
)
def test_it_finds_what_is_open_at_that_moment(api, places, monkeypatch, url, moment, expected):
    at(monkeypatch, *moment)
    assert open_names(api, url) == expected


def test_it_flags_each_result_open_or_not(api, places, monkeypatch):
    at(monkeypatch, 2026, 11, 25, 1, 30)
    features = api.get(NEAREST, {"lat": 39.9, "lon": 116.4, "limit": 50}).json()["features"]
    flags = {f["properties"]["name"]: f["properties"]["is_open_now"] for f in features}
    assert flags == {"night": True, "weekend_night": False, "day": False, "always": True,
                     "paused": False}
    detail = api.get(reverse("stations:facility-detail", args=[places["night"].pk])).json()
    assert detail["properties"]["is_open_now"] is True


def test_it_agrees_with_the_model_at_every_minute_of_a_night(places):
    # The SQL set of minutes and the Python rule must never disagree.
    from stations.models import Facility

    for minute in range(0, 24 * 60, 7):
        moment = datetime(2026, 11, 29, minute // 60, minute % 60, tzinfo=LOCAL_ZONE)
        in_sql = set(Facility.objects.open_at(moment).values_list("name", flat=True))
        in_python = {name for name, f in places.items() if f.is_open_at(moment)}
        assert in_sql == in_python, moment
