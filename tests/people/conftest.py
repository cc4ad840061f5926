"""A phone in a real browser (Debian's chromium through Playwright), in Chinese or English.

As tests/browser.py: tiles are answered locally with a blank PNG, and the geolocation is
overridden. On top of that every request for a host other than the live server's is refused and
recorded, so a test fails if a page reaches for anything beyond 127.0.0.1.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

from tests.browser import ARTIFACTS, CHROMIUM, FLAGS, TILE_PNG, Watched

PHONE = {"width": 390, "height": 844}
HOME = (116.40, 39.90)  # where the rider stands (lon, lat)
LOCALES = {"zh": "zh-CN", "en": "en-US"}


@pytest.fixture
def offline_tiles(settings, live_server):
    settings.MAP_TILES_URL = live_server.url + "/tiles/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "test tiles"
    settings.MAP_TILES_CRS = "wgs84"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(params=["zh", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def phone(tmp_path, offline_tiles, media, live_server, language, monkeypatch):
    """A browser context at 390 x 844 in `language`, located at HOME; `.outside` lists any
    request that tried to leave the live server."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    here = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if "/tiles/" in url:
            return route.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        if urlsplit(url).netloc != here:
            outside.append(url)
            return route.abort()
        return route.continue_()

    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            geolocation={"latitude": HOME[1], "longitude": HOME[0], "accuracy": 10},
            permissions=["geolocation"], viewport=PHONE, locale=LOCALES[language],
            extra_http_headers={"Accept-Language": LOCALES[language]},
        )
        context.route("**/*", guard)
        context.outside = outside
        yield context
        context.close()
        connections.close_all()


def screenshot(page, name: str, language: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"people-{name}-{language}.png"), full_page=True)


def watch(context) -> Watched:
    return Watched(context)


def small_tap_targets(page, selector: str = "main a, main button, main select, main input, "
                      "main textarea, nav a, nav button") -> list[str]:
    """Visible controls smaller than 44 x 44 px (checkboxes and radios count by their label)."""
    return page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector))
        .filter(el => el.offsetParent !== null && !['radio', 'checkbox', 'hidden'].includes(el.type))
        .filter(el => el.closest('.leaflet-container') === null)
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, r]) => r.width < 44 || r.height < 44)
        .map(([el, r]) => `${el.tagName} ${el.id || el.textContent.trim().slice(0, 20)} `
            + `${Math.round(r.width)}x${Math.round(r.height)}`)
    """, selector)
