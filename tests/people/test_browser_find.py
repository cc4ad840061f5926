"""/find/ on a phone: locate -> filter -> open a result's details -> navigate and call; nothing
near in Paris; more results on demand; the map opens where the rider last was."""

import math
from datetime import time

import pytest

from outreach.models import HostRole, ReceptionSession, Repeat
from stations.coords import wgs84_to_gcj02
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import offset

from .conftest import HOME, screenshot, small_tap_targets, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def tile_of(lon: float, lat: float, zoom: int) -> str:
    """The slippy-map tile holding a point, as the tile URL's tail "z/x/y.png"."""
    n = 2 ** zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"{zoom}/{x}/{y}.png"


PARIS = {"latitude": 48.8566, "longitude": 2.3522, "accuracy": 10}
NOTHING_NEAR = {"zh": "50 公里内没有服务设施", "en": "No facility within 50 km"}
HOURS = {"zh": "每天 06:00–22:00", "en": "Daily 06:00–22:00"}


def test_locate_filter_open_a_result_navigate_and_call(phone, live_server, language):
    near = make_facility(*offset(*HOME, east_m=300), name="近驿站", kind=FacilityKind.REST_STATION,
                         phone="010-6500 1234", opening_hours="Mo-Su 06:00-22:00",
                         amenities=["drinking_water", "toilet"])
    make_facility(*offset(*HOME, north_m=200), name="食堂", kind=FacilityKind.CANTEEN)
    ReceptionSession.objects.create(
        facility=near, repeat=Repeat.WEEKLY, weekday=2, starts=time(9), ends=time(10),
        host_name="王店镇镇长", host_role=HostRole.TOWN_HEAD,
    )
    make_facility(*offset(*HOME, east_m=900), name="远驿站", kind=FacilityKind.REST_STATION)
    watched = watch(phone)
    page = watched.page
    page.goto(live_server.url + "/find/")
    page.select_option("#kind", FacilityKind.REST_STATION)
    page.click("#locate")
    page.wait_for_selector("#results li:nth-child(2)")
    assert page.locator("#results .find-name").all_inner_texts() == ["近驿站", "远驿站"]
    assert small_tap_targets(page, "main button, main select, main label.find-check, nav a") == []

    page.locator("#results .find-name").first.focus()
    page.keyboard.press("Enter")  # reachable by keyboard
    page.wait_for_selector("#find-sheet:not([hidden]) [data-nav=amap]")
    g_lon, g_lat = wgs84_to_gcj02(near.location.x, near.location.y)
    amap = page.get_attribute("#find-sheet [data-nav=amap]", "href")
    assert f"position={g_lon:.6f}%2C{g_lat:.6f}" in amap
    assert page.get_attribute("#find-sheet [data-testid=call]", "href") == "tel:01065001234"
    assert HOURS[language] in page.inner_text("#find-sheet [data-testid=hours]")
    page.wait_for_selector("#find-sheet li:has-text('王店镇镇长')")  # the next reception days
    assert small_tap_targets(page, "#find-sheet a, #find-sheet button") == []
    screenshot(page, "find-sheet", language)
    page.keyboard.press("Escape")
    assert page.is_hidden("#find-sheet")
    assert page.evaluate("document.activeElement.textContent") == "近驿站"
    assert watched.errors == [] and phone.outside == []


def test_in_paris_it_says_nothing_is_near_and_gives_the_hotline(phone, live_server, language):
    make_facility(*HOME, name="北京驿站")
    phone.set_geolocation(PARIS)
    watched = watch(phone)
    page = watched.page
    page.goto(live_server.url + "/find/")
    page.click("#locate")
    page.wait_for_selector("#find-status a[href='tel:12351']")
    assert NOTHING_NEAR[language] in page.inner_text("#find-status")
    assert page.locator("#results li").count() == 0
    screenshot(page, "find-nothing-near", language)
    assert watched.errors == [] and phone.outside == []


def test_more_results_on_demand_and_the_map_opens_where_the_rider_was(phone, live_server, language):
    for k in range(12):
        make_facility(*offset(*HOME, east_m=100 * (k + 1)), name=f"驿站{k + 1:02d}")
    watched = watch(phone)
    page = watched.page
    page.goto(live_server.url + "/find/")
    page.click("#locate")
    page.wait_for_selector("#results li:nth-child(10)")
    assert page.locator("#results li").count() == 10
    page.click("#find-more")
    page.wait_for_selector("#results li:nth-child(12)")
    assert page.locator("#find-more").count() == 0  # all twelve are shown

    tiles: list[str] = []
    page.on("request", lambda r: "/tiles/" in r.url and tiles.append(r.url.split("/tiles/")[1]))
    page.reload()
    page.wait_for_selector(".leaflet-tile-loaded")
    # The map reopens at zoom 14 on the rider's last point, not on the default centre.
    assert tile_of(*HOME, 14) in tiles
    assert watched.errors == [] and phone.outside == []
