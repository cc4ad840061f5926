"""The gap page's time control in a real browser: presets fill the window and re-analyse; an
extension proposal is listed among the sites. Phone and desktop sizes."""

from datetime import datetime

import pytest

from stations.hours import LOCAL_ZONE
from stations.models import FacilityKind
from tests.browser import ARTIFACTS, HOME, Watched, log_in
from tests.factories import make_facility
from tests.maps.support import cases_at, offset, shortage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KIND = FacilityKind.REST_STATION
NIGHT = datetime(2026, 11, 26, 23, 30, tzinfo=LOCAL_ZONE)


@pytest.fixture
def night_town(db):
    """Night cases around a day-only station, more 5 km east around nothing."""
    cases_at(*offset(*HOME, east_m=100), 4, shortage(KIND), created_at=NIGHT)
    cases_at(*offset(*HOME, east_m=5000), 2, shortage(KIND), created_at=NIGHT)
    make_facility(*HOME, kind=KIND, name="王店镇工会驿站", opening_hours="08:00-20:00")


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_a_preset_sets_the_window_and_the_sites_include_an_extension(
    browser, live_server, night_town, width, height
):
    log_in(browser, live_server)
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + f"/maps/gaps/?kind={KIND}&n=3&include_extensions=on")
    page.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg")
    # Every hour: the station serves the first spot; one site for the other.
    assert page.locator("#ws-sites tbody tr").count() == 1
    assert page.locator("#ws-sites tr.ws-extension").count() == 0

    night = page.locator(".ws-presets button[data-hours='22:00-06:00']")
    box = night.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    with page.expect_navigation():
        night.click()
    page.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg")
    assert page.locator("#ws-hours").input_value() == "22:00-06:00"
    assert night.get_attribute("aria-pressed") == "true"
    assert "hours=22%3A00-06%3A00" in page.url
    rows = page.locator("#ws-sites tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    assert "ws-extension" in first.get_attribute("class")
    assert "王店镇工会驿站" in first.inner_text() and "22:00-06:00" in first.inner_text()
    assert "4" in first.locator("td").nth(2).inner_text()
    page.screenshot(path=str(ARTIFACTS / f"maps-gaps-night-{width}.png"), full_page=True)
    assert watched.errors == [] and watched.dialogs == []


def test_a_bad_window_is_shown_under_its_label(browser, live_server, night_town):
    log_in(browser, live_server)
    watched = Watched(browser)
    page = watched.page
    page.goto(live_server.url + f"/maps/gaps/?kind={KIND}&hours=Xy+22:00-02:00")
    errors = page.locator(".ws-errors").inner_text()
    assert "时段" in errors  # the label of the hours input, in the page's language (zh-CN)
    assert page.locator("#ws-hours").input_value() == "Xy 22:00-02:00"
