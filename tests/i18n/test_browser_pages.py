"""The front door, /find/ and the gap map in both languages, at phone and desktop size: no script
errors, tap targets of 44 px on the phone, a screenshot of each in artifacts/ to look at."""

import pytest

from stations.models import FacilityKind
from tests.browser import ARTIFACTS, HOME, Watched, log_in
from tests.factories import make_facility
from tests.maps.support import cases_at, offset, shortage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
LANGUAGES = {"zh-CN": "zh", "en-GB": "en"}


@pytest.fixture(params=list(LANGUAGES))
def browser_locale(request):
    return request.param


@pytest.mark.parametrize("size", list(SIZES))
def test_the_front_door(browser, live_server, browser_locale, size):
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(live_server.url + "/")
    assert page.locator(".ws-ways li").count() == 4
    assert page.locator('a[href="tel:12351"]').is_visible()
    if size == "phone":
        small = page.evaluate("""() => [...document.querySelectorAll('main a, .ws-nav a, button')]
            .filter(a => a.getBoundingClientRect().height < 44).map(a => a.textContent)""")
        assert small == []
    page.screenshot(path=str(ARTIFACTS / f"i18n-home-{LANGUAGES[browser_locale]}-{size}.png"),
                    full_page=True)
    assert watched.errors == []


@pytest.mark.parametrize("size", list(SIZES))
def test_the_gap_map_and_find(browser, live_server, browser_locale, size):
    for k in range(4):
        cases_at(*offset(*HOME, east_m=1500 * k), k + 1, shortage(FacilityKind.CHARGING_POINT))
    make_facility(*HOME, kind=FacilityKind.CHARGING_POINT, name="充电站")
    log_in(browser, live_server)
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(live_server.url + "/maps/gaps/?kind=charging_point&n=2")
    page.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg")
    language = LANGUAGES[browser_locale]
    page.screenshot(path=str(ARTIFACTS / f"i18n-gaps-{language}-{size}.png"), full_page=True)
    # A click on a suggested site centres the map on it.
    row = page.locator("#ws-sites tbody tr").first
    row.click()
    assert page.locator("#ws-sites tbody tr.ws-picked").count() == 1
    centre = page.evaluate("""() => {
        const map = window[document.querySelector('[data-map]').dataset.map].getCenter();
        return [map.lng, map.lat];
    }""")
    site = [float(row.get_attribute("data-lon")), float(row.get_attribute("data-lat"))]
    assert centre == pytest.approx(site, abs=1e-4)
    page.goto(live_server.url + "/find/")
    page.click("#locate")
    page.wait_for_selector("#results li")
    page.screenshot(path=str(ARTIFACTS / f"i18n-find-{language}-{size}.png"), full_page=True)
    assert watched.errors == []
