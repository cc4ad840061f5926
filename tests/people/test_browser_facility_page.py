"""/s/{id}/ on a phone: details, navigation, call, "I am here", and a problem report that reaches
the union running the place."""

import pytest

from cases.models import Case, Category
from stations.coords import wgs84_to_gcj02
from stations.models import FacilityKind, Union
from tests.factories import make_area, make_facility, square

from .conftest import screenshot, small_tap_targets, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh": {"hours": "每天 10:30–13:30、16:30–20:00", "counted": "已记录", "problem": "反映这个服务点的问题",
           "sent_to": "运营工会"},
    "en": {"hours": "Daily 10:30–13:30, 16:30–20:00", "counted": "counted", "problem":
           "Report a problem with this place", "sent_to": "运营工会"},
}


@pytest.fixture
def place(db):
    area = make_area(square(116.0, 39.5, 1.0), union="区总工会")
    city = make_area(square(115.0, 39.0, 3.0), union="运营工会")
    Union.objects.filter(area=city).update(phone="010-8888 1234")
    return make_facility(
        116.40, 39.90, name="朝阳驿站", kind=FacilityKind.CANTEEN, meal_price_min=12,
        meal_price_max=18, amenities=["microwave", "wifi"], operator=Union.objects.get(area=city),
        opening_hours="Mo-Su 10:30-13:30,16:30-20:00",
    ), area


def test_a_check_in_raises_the_count(phone, live_server, language, place):
    facility, _ = place
    watched = watch(phone)
    page = watched.page
    page.goto(f"{live_server.url}/s/{facility.pk}/")
    assert TEXT[language]["hours"] in page.inner_text("[data-testid=hours]")
    g_lon, g_lat = wgs84_to_gcj02(116.40, 39.90)
    assert f"position={g_lon:.6f}%2C{g_lat:.6f}" in page.get_attribute("[data-nav=amap]", "href")
    assert page.get_attribute("[data-testid=call]", "href") == "tel:01088881234"
    assert small_tap_targets(page) == []
    page.click("#checkin")
    page.wait_for_selector("#checkin-status.ws-ok")
    assert TEXT[language]["counted"] in page.inner_text("#checkin-status")
    assert facility.checkins.count() == 1
    assert "1" in page.inner_text("#freshness")
    api = page.request.get(f"{live_server.url}/api/facilities/{facility.pk}/").json()
    assert api["properties"]["checkins_today"] == 1
    screenshot(page, "facility", language)
    assert watched.errors == [] and phone.outside == []


def test_a_problem_report_reaches_the_operating_union(phone, live_server, language, place):
    facility, _ = place
    watched = watch(phone)
    page = watched.page
    page.goto(f"{live_server.url}/s/{facility.pk}/")
    page.click("#report-problem")
    page.wait_for_url("**/report/**")
    assert page.input_value("#category") == Category.FACILITY_PROBLEM
    assert "朝阳驿站" in page.inner_text("#place-chosen")
    page.fill("#description", "显示开放但锁着门 listed open, found locked")
    page.click("#submit")
    page.wait_for_selector("#receipt:not([hidden])")
    assert page.inner_text("#receipt-union") == "运营工会"
    case = Case.objects.get()
    assert case.facility == facility and case.assigned_union.name == "运营工会"
    screenshot(page, "problem-receipt", language)
    assert watched.errors == [] and phone.outside == []
