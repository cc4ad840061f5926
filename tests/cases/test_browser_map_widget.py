"""Staff place a case and a facility by clicking the back office's map, in a real browser.

Offline as in production behind the Great Firewall: every request must stay on the test server
(tile requests too, answered here with a blank PNG), and the page must log no script error.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import Point
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Case, Status
from stations.models import Facility
from tests.browser import ARTIFACTS, Watched
from tests.factories import make_facility, make_staff

from .helpers import new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the demo's union staff may do (demo/load.py STAFF_PERMISSIONS).
DEMO_PERMISSIONS = [
    ("cases", "view_case"), ("cases", "change_case"), ("cases", "view_caseevent"),
    ("stations", "view_facility"), ("stations", "add_facility"), ("stations", "change_facility"),
]


def demo_staff(union):
    user = make_staff(union, username="demo-staff")
    group = Group.objects.create(name="demo staff")
    query = Q(pk__in=[])
    for app, codename in DEMO_PERMISSIONS:
        query |= Q(content_type__app_label=app, codename=codename)
    group.permissions.set(Permission.objects.filter(query))
    user.groups.add(group)
    return user


def log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def click_map_at(page, lon: float, lat: float) -> None:
    """Centre the widget's map near (lon, lat), then click that very spot with the mouse."""
    page.locator(".ws-pointmap-map").scroll_into_view_if_needed()
    x, y = page.evaluate("""([lon, lat]) => {
        const map = document.querySelector('.ws-pointmap').wsMap;
        map.setView([lat, lon], 12, {animate: false});
        const p = map.latLngToContainerPoint([lat, lon]);
        return [p.x, p.y];
    }""", [lon, lat])
    box = page.locator(".ws-pointmap-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def outside_requests(page, live_server) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda r: r.url.startswith(live_server.url) or requests.append(r.url))
    return requests


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
def test_staff_move_a_case_on_the_map_and_it_is_rerouted(browser, live_server, tree, size):
    case = new_case(Point(101, 1, srid=4326))  # district A's
    log_in(browser, live_server, demo_staff(tree.c.union))  # the city's staff see A and B
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    elsewhere = outside_requests(page, live_server)

    page.goto(live_server.url + reverse("admin:cases_case_change", args=[case.pk]))
    page.wait_for_selector(".ws-pointmap .leaflet-marker-icon")
    page.screenshot(path=str(ARTIFACTS / f"staff-case-{size[0]}.png"), full_page=True)
    click_map_at(page, 103.0, 1.0)  # in district B
    shown = [float(v) for v in page.locator(".ws-pointmap-coords").inner_text().split(",")]
    assert shown == pytest.approx([103.0, 1.0], abs=0.001)
    page.click("input[name=_save]")
    page.wait_for_load_state()

    case.refresh_from_db()
    assert case.location.x == pytest.approx(103.0, abs=0.001)
    assert case.location.y == pytest.approx(1.0, abs=0.001)
    assert (case.area, case.assigned_union, case.status) == (
        tree.b, tree.b.union, Status.RECEIVED
    )
    assert case.location_source == "staff_map"
    assert elsewhere == [] and watched.errors == [] and watched.dialogs == []


def test_staff_move_a_facility_on_the_map_and_its_area_follows(browser, live_server, tree):
    facility = make_facility(101.0, 1.0, name="A区驿站")
    facility.refresh_from_db()
    assert facility.area == tree.a
    log_in(browser, live_server, demo_staff(tree.c.union))
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1366, "height": 900})
    elsewhere = outside_requests(page, live_server)

    page.goto(live_server.url + reverse("admin:stations_facility_change", args=[facility.pk]))
    page.wait_for_selector(".ws-pointmap .leaflet-marker-icon")
    click_map_at(page, 103.0, 1.0)
    page.click("input[name=_save]")
    page.wait_for_load_state()

    facility = Facility.objects.get(pk=facility.pk)
    assert facility.location.x == pytest.approx(103.0, abs=0.001)
    assert facility.area == tree.b
    page.goto(live_server.url + reverse("admin:stations_facility_change", args=[facility.pk]))
    page.wait_for_selector(".ws-pointmap .leaflet-marker-icon")
    page.screenshot(path=str(ARTIFACTS / "staff-facility-1366.png"), full_page=True)
    assert elsewhere == [] and watched.errors == [] and watched.dialogs == []


def test_the_case_page_uses_the_facilitys_location(browser, live_server, tree):
    case = new_case(Point(101, 1, srid=4326))
    facility = make_facility(103.5, 1.5, name="B区驿站")
    log_in(browser, live_server, demo_staff(tree.c.union))
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(live_server.url + reverse("admin:cases_case_change", args=[case.pk]))
    page.fill("#id_facility", str(facility.pk))
    page.click(".ws-pointmap-facility")
    # (Not wait_for_function: a string predicate is eval, which the pages' CSP refuses.)
    expect(page.locator("#id_location")).to_have_value(re.compile(r"103\.5"))
    page.click("input[name=_save]")
    page.wait_for_load_state()

    case = Case.objects.get(pk=case.pk)
    assert case.facility == facility and case.location.equals_exact(facility.location, 1e-9)
    assert case.assigned_union == tree.b.union
    assert watched.errors == [] and watched.dialogs == []


def test_the_queue_fits_1366_pixels_with_deadlines_in_view(browser, live_server, tree):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_case

    for days in (9, 3, 1):
        make_case(area=tree.a, union=tree.a.union, category="platform_rules",
                  created_at=timezone.now() - timedelta(days=days))
    log_in(browser, live_server, demo_staff(tree.a.union))
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(live_server.url + reverse("admin:cases_case_changelist"))
    page.wait_for_selector("#result_list")

    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    for column in ("column-due_at", "column-overdue"):
        box = page.locator(f"th.{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1366
    page.screenshot(path=str(ARTIFACTS / "staff-queue-1366.png"))
    assert watched.errors == []


def test_on_gcj02_tiles_a_click_is_stored_as_wgs84(browser, live_server, settings):
    from stations.coords import from_wgs84

    settings.MAP_TILES_CRS = "gcj02"
    facility = make_facility(116.40, 39.90, name="天安门驿站")  # inside China: shifted
    from django.contrib.auth import get_user_model

    # Beijing is outside the `tree` jurisdictions: a superuser places it.
    log_in(browser, live_server, get_user_model().objects.create_superuser("root", password="pw"))
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(live_server.url + reverse("admin:stations_facility_change", args=[facility.pk]))
    page.wait_for_selector(".ws-pointmap .leaflet-marker-icon")
    drawn = page.evaluate("""() => {
        const ll = document.querySelector('.ws-pointmap').wsMap;
        let at = null;
        ll.eachLayer(l => { if (l.getLatLng && l.options.draggable) at = l.getLatLng(); });
        return [at.lng, at.lat];
    }""")
    assert drawn == pytest.approx(list(from_wgs84(116.40, 39.90, "gcj02")), abs=1e-7)

    click_map_at(page, *from_wgs84(116.45, 39.95, "gcj02"))  # where 116.45, 39.95 is drawn
    page.click("input[name=_save]")
    page.wait_for_load_state()

    facility = Facility.objects.get(pk=facility.pk)
    assert facility.location.x == pytest.approx(116.45, abs=0.001)
    assert facility.location.y == pytest.approx(39.95, abs=0.001)
    assert watched.errors == []
