"""GET /api/facilities/{id}/ carries what a rider reads before going, in the request's language."""

import pytest
from django.urls import reverse

from stations.coords import wgs84_to_bd09, wgs84_to_gcj02
from stations.models import FacilityKind, Union
from tests.factories import make_area, make_facility, square

pytestmark = pytest.mark.django_db


def details(api, facility, language="zh-hans"):
    response = api.get(reverse("stations:facility-detail", args=[facility.pk]),
                       HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()["properties"]


def test_it_gives_navigation_links_in_the_coordinates_each_app_expects(api):
    facility = make_facility(116.40, 39.90, name="东城驿站")
    links = details(api, facility)["details"]["navigation"]
    g_lon, g_lat = wgs84_to_gcj02(116.40, 39.90)
    b_lon, b_lat = wgs84_to_bd09(116.40, 39.90)
    assert f"position={g_lon:.6f}%2C{g_lat:.6f}" in links["amap"]
    assert f"ll={g_lat:.6f}%2C{g_lon:.6f}" in links["apple"]
    assert f"location={b_lat:.6f}%2C{b_lon:.6f}" in links["baidu"]
    assert "coord_type=bd09ll" in links["baidu"]


def test_it_calls_the_place_else_its_union_else_the_hotline(api):
    area = make_area(square(116.0, 39.5, 1.0), union=True)
    union = Union.objects.get(area=area)
    union.phone = "010-6512 3456"
    union.save()
    own = make_facility(116.4, 39.9, phone="138 0000 0000", operator=union)
    by_union = make_facility(116.41, 39.9, operator=union)
    nobody = make_facility(116.42, 39.9)
    assert details(api, own)["details"]["call"]["tel"] == "tel:13800000000"
    assert details(api, by_union)["details"]["call"]["tel"] == "tel:01065123456"
    assert details(api, nobody)["details"]["call"]["tel"] == "tel:12351"


def test_it_reads_kind_specific_facts_in_the_readers_language(api):
    charger = make_facility(116.4, 39.9, kind=FacilityKind.CHARGING_POINT, sockets=8,
                            battery_swap=True, charging_price="1.50")
    assert details(api, charger, "en")["details"]["facts"] == [
        "Sockets: 8", "Battery swap cabinet", "Charging: 1.5 yuan per charge",
    ]
    assert details(api, charger, "zh-hans")["details"]["facts"] == [
        "插座：8 个", "可换电（换电柜）", "充电：每次 1.5 元",
    ]


def test_it_shows_hours_and_fresh_check_ins(api):
    facility = make_facility(116.4, 39.9, opening_hours="Mo-Su 10:30-13:30,16:30-20:00")
    before = details(api, facility)
    assert before["details"]["hours"] == "每天 10:30–13:30、16:30–20:00"
    assert before["checkins_today"] == 0 and before["last_confirmed_at"] is None
    api.post(reverse("stations:facility-checkins", args=[facility.pk]),
             {"device": "d" * 32}, format="json")
    after = details(api, facility, "en")
    assert after["checkins_today"] == 1
    assert after["last_confirmed_at"] is not None
    assert after["details"]["freshness"] == "Confirmed open just now"


def test_the_nearest_search_keeps_its_fields(api):
    # The detail fields are for one place; the hot nearest endpoint does not grow.
    make_facility(116.4, 39.9)
    response = api.get(reverse("stations:facility-nearest"), {"lat": 39.9, "lon": 116.4})
    properties = response.json()["features"][0]["properties"]
    assert not {"details", "checkins_today", "last_confirmed_at"} & set(properties)
