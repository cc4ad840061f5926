"""Intake routes a case to the smallest area containing its point and that area's union."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseEvent, EventKind, deadlines_for
from stations.coords import from_wgs84
from stations.models import Union
from tests.conftest import SEED_DISTRICTS
from tests.factories import make_facility

from .helpers import inside, post_case


@pytest.mark.parametrize("adcode", sorted(SEED_DISTRICTS))
def test_it_routes_a_point_in_each_seed_district_to_that_districts_union(
    api, real_areas, seed_unions, adcode
):
    point = inside(real_areas[adcode])

    response = post_case(api, lat=point.y, lon=point.x)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["area"]["adcode"] == adcode
    assert body["assigned_union"]["name"] == seed_unions[adcode].name
    assert body["reference"].startswith(f"{adcode}-")
    case = Case.objects.get(reference=body["reference"])
    assert case.area == real_areas[adcode]
    assert case.location_source == "gps"


def test_it_walks_up_to_the_nearest_union_when_the_district_has_none(api, real_areas):
    city_union = Union.objects.create(area=real_areas["330400"], name="嘉兴市总工会")
    Union.objects.create(area=real_areas["330000"], name="浙江省总工会")
    point = inside(real_areas["330411"])

    body = post_case(api, lat=point.y, lon=point.x).json()

    assert body["area"]["adcode"] == "330411"  # where it happened
    assert body["assigned_union"]["name"] == city_union.name  # who answers for it


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_it_converts_map_app_coordinates_before_routing(api, real_areas, seed_unions, crs):
    point = inside(real_areas["110105"])
    lon, lat = from_wgs84(point.x, point.y, crs)

    body = post_case(api, lat=lat, lon=lon, crs=crs).json()

    case = Case.objects.get(reference=body["reference"])
    assert case.location.distance(point) < 1e-7  # about 1 cm
    assert case.location_source == crs
    assert body["area"]["adcode"] == "110105"


def test_it_takes_the_location_from_the_facility(api, real_areas, seed_unions):
    station = inside(real_areas["330602"])
    facility = make_facility(station.x, station.y)
    elsewhere = inside(real_areas["330411"])

    body = post_case(api, facility=facility.pk, lat=elsewhere.y, lon=elsewhere.x).json()

    case = Case.objects.get(reference=body["reference"])
    assert case.facility == facility
    assert case.location.equals_exact(facility.location, 1e-9)
    assert case.location_source == "facility"
    assert body["area"]["adcode"] == "330602"


def test_it_refuses_a_public_case_without_location_facility_or_area(api, real_areas, seed_unions):
    response = post_case(api, channel="hotline", address="嘉兴市某小区")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["location"]
    assert not Case.objects.exists()


def test_it_refuses_a_point_outside_every_area(api, real_areas, seed_unions):
    response = post_case(api, lat=0.5, lon=-30)
    in_english = api.post(
        reverse("cases:case-list"), {"category": "other", "description": "x", "lat": 0.5,
                                     "lon": -30}, format="json", HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["location"] == ["该位置不在本服务覆盖的区域内。"]
    assert in_english.json()["errors"]["location"] == [
        "This place is outside the areas this service covers."
    ]
    assert not Case.objects.exists()


def test_it_routes_a_case_by_the_area_the_reporter_picked(api, real_areas, seed_unions):
    body = post_case(api, area="330411").json()

    assert body["area"]["adcode"] == "330411"
    assert body["assigned_union"]["name"] == seed_unions["330411"].name
    assert re.fullmatch(rf"330411-{timezone.localdate().year}-\d{{6}}", body["reference"])


def test_it_numbers_cases_with_area_year_and_a_serial(api, real_areas, seed_unions):
    point = inside(real_areas["330723"])
    first = post_case(api, lat=point.y, lon=point.x).json()["reference"]
    second = post_case(api, lat=point.y, lon=point.x).json()["reference"]

    year = timezone.localdate().year
    assert re.fullmatch(rf"330723-{year}-\d{{6}}", first)
    assert int(second.rsplit("-", 1)[1]) > int(first.rsplit("-", 1)[1])


@pytest.mark.parametrize("category", ["wage_arrears", "safety", "canteen_shortage"])
def test_it_sets_deadlines_from_the_category(api, owner_area, category):
    body = post_case(api, category=category, area=owner_area.adcode).json()

    case = Case.objects.get(reference=body["reference"])
    respond_in, resolve_in = deadlines_for(category)
    assert case.response_due_at - case.created_at == respond_in
    assert case.due_at - case.created_at == resolve_in
    assert body["due_at"] is not None and body["tracking_token"] == case.tracking_token


def test_it_records_creation_and_assignment_as_events(api, real_areas, seed_unions):
    point = inside(real_areas["431302"])

    body = post_case(api, lat=point.y, lon=point.x, channel="station").json()

    events = list(CaseEvent.objects.filter(case__reference=body["reference"]))
    assert [(e.kind, e.to_value) for e in events] == [
        (EventKind.CREATED, "received"),
        (EventKind.ASSIGNMENT, seed_unions["431302"].name),
    ]
    assert all(e.actor_label == "reporter" and e.public for e in events)


def test_a_case_entered_by_union_staff_without_location_goes_to_their_union(
    api, real_areas, seed_unions
):
    from tests.factories import make_staff

    operator = make_staff(seed_unions["330602"])
    api.force_authenticate(operator)

    body = post_case(api, channel="hotline").json()

    assert body["assigned_union"]["name"] == seed_unions["330602"].name
    case = Case.objects.get(reference=body["reference"])
    assert case.location is None and case.area == real_areas["330602"]
    assert case.events.first().actor == operator


def test_a_reporter_cannot_set_the_routing_or_status(api, real_areas, seed_unions):
    point = inside(real_areas["330411"])
    other = seed_unions["110105"]

    body = post_case(
        api, lat=point.y, lon=point.x, assigned_union=other.pk, status="resolved",
        area="110105", reference="X-1",
    ).json()

    assert body["status"] == "received"
    assert body["assigned_union"]["name"] == seed_unions["330411"].name
    assert body["area"]["adcode"] == "330411" and body["reference"] != "X-1"


@pytest.mark.parametrize(("last_serial", "suffix"), [(41, "000042"), (1_234_566, "1234567")])
def test_the_reference_serial_is_zero_padded_to_six_digits_and_never_cut(
    api, owner_area, last_serial, suffix
):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('cases_case_reference_seq', %s)", [last_serial])

    body = post_case(api, area=owner_area.adcode).json()

    year = timezone.localtime().year
    assert body["reference"] == f"{owner_area.adcode}-{year}-{suffix}"


@pytest.mark.parametrize("located", [True, False])
def test_the_receipt_is_what_its_declared_fields_give(api, real_areas, seed_unions, located):
    from rest_framework import serializers

    from cases.serializers import CaseReceiptSerializer

    point = inside(real_areas["330411"]) if located else None
    where = {"lat": point.y, "lon": point.x} if located else {"area": "330411"}
    body = post_case(api, **where).json()
    case = Case.objects.with_places().get(reference=body["reference"])

    receipt = CaseReceiptSerializer(case)
    field_by_field = serializers.Serializer.to_representation(receipt, case)

    assert receipt.data == field_by_field
    assert body == field_by_field
    assert body["area"]["adcode"] == "330411"
