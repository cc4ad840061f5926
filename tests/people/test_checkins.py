"""POST /api/facilities/{id}/checkins/: one per device, place and hour; anonymous; rate-limited."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from stations.models import CheckIn
from tests.factories import make_facility

pytestmark = pytest.mark.django_db
DEVICE = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the throttle counts in the cache
    yield
    cache.clear()


def check_in(api, facility_id, device=DEVICE, **extra):
    return api.post(reverse("stations:facility-checkins", args=[facility_id]),
                    {"device": device}, format="json", **extra)


def test_a_check_in_is_counted_once_per_device_and_hour(api):
    facility = make_facility(116.4, 39.9)
    first = check_in(api, facility.pk)
    again = check_in(api, facility.pk)
    other = check_in(api, facility.pk, device="f" * 32)
    assert first.status_code == 201 and first.json()["checkins_today"] == 1
    assert again.status_code == 200 and again.json()["counted"] is False
    assert other.status_code == 201 and other.json()["checkins_today"] == 2


def test_the_device_id_itself_is_not_stored(api):
    facility = make_facility(116.4, 39.9)
    check_in(api, facility.pk)
    stored = CheckIn.objects.get()
    assert DEVICE not in stored.device_key and len(stored.device_key) == 64
    assert {f.name for f in CheckIn._meta.fields} == {
        "id", "facility", "hour", "device_key", "created_at"
    }


def test_an_unknown_facility_is_404(api):
    assert check_in(api, 999999).status_code == 404


def test_a_missing_device_id_is_a_400_naming_it(api):
    facility = make_facility(116.4, 39.9)
    response = check_in(api, facility.pk, device="short")
    assert response.status_code == 400
    assert "device" in response.json()["errors"]
    assert not CheckIn.objects.exists()


def test_too_many_check_ins_from_one_address_are_429(api, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "checkin": "3/hour"},
    }
    facility = make_facility(116.4, 39.9)
    codes = [check_in(api, facility.pk, device=f"{n:032d}").status_code for n in range(4)]
    assert codes == [201, 201, 201, 429]
    # another address still gets through
    assert check_in(api, facility.pk, device="e" * 32, REMOTE_ADDR="10.0.0.9").status_code == 201


def test_check_ins_are_counted_per_local_day(api):
    from datetime import datetime, timedelta

    from stations.checkins import check_in as record
    from stations.checkins import per_day
    from stations.hours import LOCAL_ZONE

    facility = make_facility(116.4, 39.9)
    # 00:30 in Beijing is the previous day in UTC: the day is the union's, not UTC's.
    today = datetime(2026, 11, 30, 0, 30, tzinfo=LOCAL_ZONE)
    for n, moment in enumerate([today, today + timedelta(hours=3), today - timedelta(days=1)]):
        record(facility, f"{n:032d}", moment)
    days = per_day(facility, today + timedelta(hours=5))
    assert [(day.isoformat(), count) for day, count in days] == [
        ("2026-11-30", 2), ("2026-11-29", 1),
    ]
