"""Filters that make matches rare (open now + legal aid) still give the exact ranking."""

import random
from datetime import datetime

import pytest
from django.contrib.gis.geos import Point

from stations.hours import LOCAL_ZONE
from stations.models import Facility, FacilityKind, FacilityStatus
from tests.facilities import brute_force
from tests.factories import make_facilities, scatter

pytestmark = pytest.mark.django_db

# A Wednesday at 23:30 local time: only the 24 h places and the overnight ones are open.
LATE = datetime(2026, 11, 25, 23, 30, tzinfo=LOCAL_ZONE)
HOURS = ["24/7", "Mo-Fr 08:00-20:00", "Mo-Su 18:00-02:00", "Sa,Su 10:00-16:00"]


@pytest.fixture
def mixed():
    rng = random.Random(7)
    rows = []
    for x, y in scatter(1500, 116.40, 39.90, 5000, seed=3):
        amenities = [a for a in ("legal_aid", "toilet", "wifi") if rng.random() < 0.3]
        if rng.random() < 0.97:
            amenities = [a for a in amenities if a != "legal_aid"]  # legal aid: about 1 %
        rows.append({
            "lon": x, "lat": y, "kind": rng.choice(FacilityKind.values),
            "status": rng.choice([FacilityStatus.OPEN] * 8 + [FacilityStatus.TEMPORARILY_CLOSED]),
            "amenities": amenities, "opening_hours": rng.choice(HOURS),
        })
    return make_facilities(rows)


def test_it_ranks_open_now_with_legal_aid_exactly(mixed):
    reference = Facility.objects.in_service().open_at(LATE).with_amenities(["legal_aid"])
    assert 0 < reference.count() < 40  # rare: the KNN scan has to walk far
    for x, y in scatter(10, 116.40, 39.90, 4000, seed=11):
        point = Point(x, y, srid=4326)
        found = Facility.objects.nearest(
            point, 5, amenities=["legal_aid"], open_only=True, at=LATE
        )
        assert [r["id"] for r in found] == brute_force.nearest_ids(point, 5, queryset=reference)
        assert all(r["is_open_now"] and "legal_aid" in r["amenities"] for r in found)


@pytest.mark.parametrize("kind", FacilityKind.values)
def test_it_ranks_one_kind_with_all_amenities_required(mixed, kind):
    reference = Facility.objects.in_service().filter(kind=kind).with_amenities(["toilet", "wifi"])
    point = Point(116.41, 39.91, srid=4326)
    found = Facility.objects.nearest(point, 8, kind=kind, amenities=["wifi", "toilet"])
    assert [r["id"] for r in found] == brute_force.nearest_ids(point, 8, queryset=reference)
    assert {r["kind"] for r in found} == {kind}


def test_it_reports_whether_each_result_is_open(mixed):
    point = Point(116.40, 39.90, srid=4326)
    found = Facility.objects.nearest(point, 30, at=LATE)
    by_id = Facility.objects.in_bulk([r["id"] for r in found])
    flags = [r["is_open_now"] for r in found]
    assert flags == [by_id[r["id"]].is_open_at(LATE) for r in found]
    assert True in flags and False in flags
