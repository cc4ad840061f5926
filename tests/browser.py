"""Real-browser testing for every page: Debian's chromium through Playwright, offline.

Loaded as a pytest plugin by tests/conftest.py, so any test can ask for `browser` (a fresh
chromium profile at phone size, 390 x 844, Chinese unless `browser_locale` says otherwise) and
`live_server`. Tiles cannot load on our machines, so tile requests are answered with a blank PNG.
Screenshots go to artifacts/.
"""

import shutil
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
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
def browser_locale() -> str:
    """The browser's language (its Accept-Language); override in a test module for others."""
    return "zh-CN"


@pytest.fixture
def browser(tmp_path, offline_tiles, monkeypatch, browser_locale):
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
            locale=browser_locale,
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
