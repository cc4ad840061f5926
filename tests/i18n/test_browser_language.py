"""/find/ and the admin in one language at a time, in a real browser at phone size."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from stations.models import FacilityKind
from tests.browser import ARTIFACTS, HOME, Watched
from tests.factories import make_facility
from tests.maps.support import offset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
# Not UI words: units, and the map library's own credit.
ALLOWED_LATIN = {"km", "Leaflet"}

# Everything a person reads on the page: visible text, the options of the selects, and the
# labels given to assistive technology; not the language switch (each language is named in
# itself there) and not the map's attribution (the tile provider's credit).
UI_TEXT = """() => {
    const skip = el => el.closest('.ws-lang, .leaflet-control-attribution');
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!el || skip(el) || el.closest('script, style')) continue;
        if (el.closest('option') || el.getClientRects().length) texts.push(node.textContent);
    }
    document.querySelectorAll('[aria-label], [title], [placeholder]').forEach(el => {
        if (skip(el)) return;
        ['aria-label', 'title', 'placeholder'].forEach(
            a => el.hasAttribute(a) && texts.push(el.getAttribute(a)));
    });
    return texts.join('\\n');
}"""


def search(page, live_server, path="/find/"):
    page.goto(live_server.url + path)
    page.click("#locate")
    page.wait_for_selector("#results li")
    return page.evaluate(UI_TEXT)


def test_find_in_chinese_shows_no_english_ui_words(browser, live_server):
    make_facility(*offset(*HOME, east_m=300), name="望京驿站", kind=FacilityKind.REST_STATION,
                  address="望京街 1 号", phone="010-12351", amenities=["toilet", "wifi"])
    watched = Watched(browser)
    text = search(watched.page, live_server)
    assert "定位我" in text and "开放中" in text
    assert sorted(set(ENGLISH_WORD.findall(text)) - ALLOWED_LATIN) == []
    assert watched.page.evaluate("document.documentElement.lang") == "zh-Hans"
    watched.page.screenshot(path=str(ARTIFACTS / "i18n-find-zh-phone.png"), full_page=True)
    assert watched.errors == []


@pytest.mark.parametrize("browser_locale", ["en-GB"])
def test_find_in_english_shows_no_chinese_ui_text(browser, live_server):
    make_facility(*offset(*HOME, east_m=300), name="Wangjing Station", address="1 Wangjing St",
                  kind=FacilityKind.REST_STATION, phone="010-12351", amenities=["toilet"])
    watched = Watched(browser)
    text = search(watched.page, live_server)
    assert "Locate me" in text and "Open now" in text
    assert CJK.findall(text) == []
    assert watched.page.evaluate("document.documentElement.lang") == "en"
    watched.page.screenshot(path=str(ARTIFACTS / "i18n-find-en-phone.png"), full_page=True)
    assert watched.errors == []


def test_the_switch_changes_the_language_and_keeps_it_on_the_next_page(browser, live_server):
    page = Watched(browser).page
    page.goto(live_server.url + "/find/")
    assert page.inner_text("#locate") == "定位我"
    button = page.locator(".ws-lang button")
    assert button.bounding_box()["height"] >= 44  # a tap target on a phone
    button.click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/find/"
    assert page.inner_text("#locate") == "Locate me"
    page.click(".ws-nav a.ws-brand")  # on to the front door: still English
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Union hotline" in page.inner_text("main")
    page.locator(".ws-lang button").click()  # and back
    page.wait_for_load_state()
    assert "工会服务热线" in page.inner_text("main")


@pytest.mark.parametrize("browser_locale, title", [
    ("en-GB", "Select case to change"),
    ("zh-CN", "选择 诉求 来修改"),
])
def test_the_admin_case_list_is_titled_in_one_language(browser, live_server, title):
    admin = get_user_model().objects.create_superuser("chief", password="pw")
    client = Client()
    client.force_login(admin)
    browser.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    page = Watched(browser).page
    page.goto(live_server.url + "/admin/cases/case/")
    heading = page.inner_text("#content h1")
    assert heading == title
    other = CJK if title.isascii() else ENGLISH_WORD
    assert not other.search(heading)
