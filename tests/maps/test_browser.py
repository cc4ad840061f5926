"""The map pages in a real browser (tests/browser.py), offline: they must still draw their data
layers and log no script errors."""

import pytest

from stations.coords import from_wgs84
from stations.models import FacilityKind
from tests.browser import ARTIFACTS, EVIL, HOME, Watched, log_in
from tests.factories import make_facility
from tests.maps.support import cases_at, offset, shortage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lists_the_nearest_facilities_in_order_from_the_riders_position(browser, live_server):
    names = {"近 Near": 300, "中 Middle": 800, EVIL: 1500}
    for name, metres in names.items():
        make_facility(*offset(*HOME, east_m=metres), name=name, kind=FacilityKind.REST_STATION,
                      address="地址 <b>bold</b>")
    make_facility(*offset(*HOME, north_m=400), name="食堂 Canteen", kind=FacilityKind.CANTEEN)

    watched = Watched(browser)
    page = watched.page
    page.goto(live_server.url + "/find/")
    page.select_option("#kind", FacilityKind.REST_STATION)
    page.click("#locate")
    page.wait_for_selector("#results li:nth-child(3)")
    shown = page.locator("#results .find-name").all_inner_texts()
    assert shown == ["近 Near", "中 Middle", EVIL]  # the canteen is filtered out
    assert page.locator("#results img").count() == 0
    assert "<b>bold</b>" in page.locator("#results").inner_text()
    assert page.locator(".leaflet-marker-icon.find-pin").count() == 3
    page.screenshot(path=str(ARTIFACTS / "maps-find.png"), full_page=True)

    page.select_option("#kind", "")  # all kinds: the canteen 400 m away comes second
    # A selector, not wait_for_function: the page's CSP forbids the eval that would need.
    page.locator("#results .find-name").nth(3).wait_for()
    assert page.locator("#results .find-name").all_inner_texts()[1] == "食堂 Canteen"
    assert watched.errors == [] and watched.dialogs == []


def test_it_shifts_drawn_points_like_the_server_for_gcj02_tiles(browser, live_server):
    watched = Watched(browser)
    watched.page.goto(live_server.url + "/find/")
    for lon, lat in [(116.40, 39.90), (121.47, 31.23), (87.6, 43.8), (2.35, 48.85)]:
        shifted = watched.page.evaluate(f"window.ws.toGcj02({lon}, {lat})")
        assert shifted == pytest.approx(list(from_wgs84(lon, lat, "gcj02")), abs=1e-9)


def test_it_draws_the_gap_map_without_script_errors(browser, live_server):
    # Six spots 1.5 km apart, the first served: five unserved, a site between two covers both.
    for k in range(6):
        cases_at(*offset(*HOME, east_m=1500 * k), k + 1, shortage(FacilityKind.CHARGING_POINT))
    make_facility(*HOME, kind=FacilityKind.CHARGING_POINT, name=EVIL)
    log_in(browser, live_server)
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/maps/gaps/?kind=charging_point&radius=1000&cell=500&n=3")
    page.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg")
    assert page.locator("#ws-sites tbody tr").count() == 3
    assert page.locator("#ws-worst tbody tr").count() >= 3
    assert page.locator(".ws-site").count() == 3  # numbered site markers on the map
    page.screenshot(path=str(ARTIFACTS / "maps-gaps.png"))
    assert watched.errors == [] and watched.dialogs == []


def test_it_draws_the_facility_map_and_shows_names_as_text(browser, live_server):
    make_facility(*HOME, kind=FacilityKind.CANTEEN, name=EVIL, opening_hours="Mo-Fr 08:00-20:00",
                  amenities=["microwave", "wifi"])
    make_facility(*offset(*HOME, east_m=3000), kind=FacilityKind.CHARGING_POINT, name="充电 A")
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/maps/facilities/")
    page.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-marker-pane *")
    popup_text = page.evaluate("""(evil) => {
        const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])[0];
        let found = null;
        Object.keys(window).filter(k => k.startsWith('geo_json_')).map(k => window[k])
            .filter(v => v && typeof v.eachLayer === 'function').forEach(layer => {
                layer.eachLayer(l => { if (l.feature.properties.n === evil) found = l; });
            });
        map.setView(found.getLatLng(), 17, {animate: false});
        found.openPopup();
        return document.querySelector('.leaflet-popup-content').innerText;
    }""", EVIL)
    assert EVIL in popup_text
    assert "微波炉" in popup_text  # labels in the page's language (Chinese by default)
    assert page.locator(".leaflet-popup-content img").count() == 0
    page.screenshot(path=str(ARTIFACTS / "maps-facilities.png"))
    assert watched.errors == [] and watched.dialogs == []


def test_it_draws_the_case_heatmap_without_script_errors(browser, live_server):
    for k in range(5):
        cases_at(*offset(*HOME, north_m=700 * k), 3 * k + 1, shortage(FacilityKind.CANTEEN))
    log_in(browser, live_server)
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/maps/heatmap/")
    page.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg")
    assert "5 个 500 米网格" in page.locator(".ws-bar").inner_text()
    page.screenshot(path=str(ARTIFACTS / "maps-heatmap.png"))
    assert watched.errors == [] and watched.dialogs == []
