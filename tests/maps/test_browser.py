"""The pages in a real browser (Debian's chromium through Playwright), offline.

Tiles cannot load on our machines, so tile requests are answered with a blank PNG: the pages
must still draw their data layers and log no script errors. Screenshots go to artifacts/.
"""

import shutil
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from stations.coords import from_wgs84
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, offset, shortage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _grey_png() -> bytes:
    """A 1 x 1 light grey PNG: what every tile request gets instead of a network error."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xee")) + chunk(b"IEND", b""))


TILE_PNG = _grey_png()
HOME = (116.40, 39.90)  # where the rider is (lon, lat)
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture
def offline_tiles(settings, live_server):
    settings.MAP_TILES_URL = live_server.url + "/tiles/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "test tiles"
    settings.MAP_TILES_CRS = "wgs84"


@pytest.fixture
def browser(tmp_path, offline_tiles, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # meanwhile are ordinary blocking ones, so Django's async guard is switched off here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            geolocation={"latitude": HOME[1], "longitude": HOME[0], "accuracy": 10},
            permissions=["geolocation"], viewport={"width": 390, "height": 844},
            locale="zh-CN",
        )
        context.route("**/tiles/**", lambda route: route.fulfill(
            status=200, content_type="image/png", body=TILE_PNG))
        yield context
        context.close()
        # Inside Playwright's loop the ORM used its own connection (Django keeps them per
        # context); close it here, or it outlives the test database.
        connections.close_all()


class Watched:
    """A page whose script errors, console errors and dialogs are recorded."""

    def __init__(self, context):
        self.page = context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        # Anything the Content-Security-Policy blocks is an error too (a folium script without
        # the request's nonce, an inline handler, a resource from another origin).
        self.page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
        )

        def dismiss(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", dismiss)


def log_in(context, live_server) -> None:
    user = get_user_model().objects.create_user("planner", password="pw", is_staff=True)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


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
        shifted = watched.page.evaluate(f"window.waystationFind.wgs84ToGcj02({lon}, {lat})")
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
    assert "微波炉 microwave" in popup_text
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
    assert "5 个网格 cells" in page.locator(".ws-info").inner_text()
    page.screenshot(path=str(ARTIFACTS / "maps-heatmap.png"))
    assert watched.errors == [] and watched.dialogs == []
