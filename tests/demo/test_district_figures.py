"""The figures of the source articles hold in the small demo, district by district."""

import csv
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import Count, Q

from cases.models import Case, Channel
from demo.places import district_sizes
from demo.spec import WANGDIAN_HOTSPOT_M, WANGDIAN_SEAT
from stations.models import Amenity, Facility, FacilityKind, Union
from tests.conftest import AREAS_FILE

TOWNS_FILE = AREAS_FILE.parent / "towns.csv"
SEAT = Point(*WANGDIAN_SEAT, srid=4326)

pytestmark = pytest.mark.django_db


def _demo(model, adcode, **filters):
    return model.objects.filter(is_demo=True, area__adcode=adcode, **filters)


def test_it_gives_xiuzhou_23_xiaoge_canteens_at_8_to_10_yuan(small_demo):
    canteens = _demo(Facility, "330411", kind=FacilityKind.CANTEEN)
    assert canteens.count() == 23
    assert all(c.name.startswith("小哥暖心食堂") for c in canteens)
    assert {(c.meal_price_min, c.meal_price_max) for c in canteens} == {(Decimal(8), Decimal(10))}


def test_it_puts_a_station_at_every_xiuzhou_town_union(small_demo):
    with TOWNS_FILE.open(encoding="utf-8") as f:
        towns = {row["name"] for row in csv.DictReader(f) if row["district_adcode"] == "330411"}
    names = set(_demo(Facility, "330411", kind=FacilityKind.REST_STATION).values_list("name", flat=True))
    assert {f"{town}总工会户外劳动者驿站" for town in towns} <= names
    wangdian = Facility.objects.get(is_demo=True, name="王店镇总工会户外劳动者驿站")
    assert wangdian.location.equals_exact(SEAT, tolerance=1e-9)


def test_it_leaves_wangdian_few_charging_points_and_many_complaints(small_demo):
    charging = _demo(Facility, "330411", kind=FacilityKind.CHARGING_POINT)
    near_seat = charging.filter(location__distance_lte=(SEAT, D(m=5_000)))
    assert 1 <= near_seat.count() <= 3
    assert not charging.filter(location__distance_lte=(SEAT, D(m=3_000))).exists()
    complaints = _demo(Case, "330411", category="charging_shortage")
    at_wangdian = complaints.filter(location__distance_lte=(SEAT, D(m=WANGDIAN_HOTSPOT_M)))
    assert at_wangdian.count() >= 100
    assert at_wangdian.count() > 10 * near_seat.count()


def test_it_gives_louxing_37_stations_5_open_round_the_clock(small_demo):
    stations = _demo(Facility, "431302", kind=FacilityKind.REST_STATION)
    assert stations.count() == 37
    assert stations.filter(open_24h=True).count() == 5
    assert stations.filter(opening_hours="24/7").count() == 5


def test_it_makes_chaoyang_the_densest_station_network_with_amenities(small_demo):
    codes = ("330411", "330602", "330723", "431302", "110105")
    km2 = district_sizes([small_demo[code].pk for code in codes])
    per_km2 = {
        code: _demo(Facility, code, kind=FacilityKind.REST_STATION).count() / km2[small_demo[code].pk]
        for code in codes
    }
    assert max(per_km2, key=per_km2.get) == "110105"
    stations = _demo(Facility, "110105", kind=FacilityKind.REST_STATION)
    total = stations.count()
    for amenity in (Amenity.DRINKING_WATER, Amenity.MICROWAVE, Amenity.PHONE_CHARGING):
        assert stations.filter(amenities__contains=[amenity]).count() >= 0.85 * total
    assert stations.filter(amenities__contains=[Amenity.COUNSELLING]).count() >= 0.25 * total


def test_it_gives_yuecheng_925_visit_cases_876_resolved(small_demo):
    cases = _demo(Case, "330602")
    assert cases.count() == 925
    assert set(cases.values_list("channel", flat=True)) == {Channel.VISIT}
    assert cases.filter(resolved_at__isnull=False).count() == 876


def test_it_routes_and_rates_wuyi_online_cases(small_demo):
    # Cases naming an employer with its own union go to that union first (outreach.demo,
    # tests/demo/test_outreach_figures.py); these are the location-routed ones.
    cases = _demo(Case, "330723").filter(employer_code="")
    union = Union.objects.get(area__adcode="330723")
    assert cases.exists()
    assert set(cases.values_list("channel", flat=True)) == {Channel.ONLINE}
    # routed: to the county union, or escalated to the city union above it
    assert not cases.filter(assigned_union__isnull=True).exists()
    assert cases.filter(assigned_union=union).count() >= 0.9 * cases.count()
    resolved = cases.filter(resolved_at__isnull=False)
    assert resolved.filter(rating__isnull=False).count() >= 0.8 * resolved.count()
    assert not cases.filter(resolved_at__isnull=True, rating__isnull=False).exists()


def test_it_gives_every_other_district_something(small_demo):
    empty = (
        Union.objects.filter(area__level="district")
        .annotate(n=Count("area__facilities", filter=Q(area__facilities__is_demo=True)))
        .filter(n=0)
    )
    assert not empty.exists()
