"""The staff visit page and the public dashboard in a real browser, phone and desktop size."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Case, Channel
from outreach.models import Visit
from tests.browser import ARTIFACTS, Watched
from tests.factories import make_case, make_staff
from tests.outreach.builders import make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])


def _small_targets(page, selector: str) -> list[str]:
    return page.evaluate("""(sel) => [...document.querySelectorAll(sel)]
        .filter(e => e.offsetParent !== null)
        .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
        .map(e => e.outerHTML.slice(0, 80))""", selector)


def test_staff_log_a_visit_with_an_issue_on_a_phone(browser, live_server, tree, settings):
    # The form posts to the test server's origin, which the settings cannot know in advance.
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    firm = make_enterprise(tree.a, name="绍兴某快递有限公司", street="塔山街道")
    _log_in(browser, live_server, make_staff(tree.a.union))
    watched = Watched(browser)
    page = watched.page
    page.goto(live_server.url + "/outreach/visits/")
    assert _small_targets(page, "main input, main select, main textarea, main button") == []
    page.select_option("#id_enterprise", str(firm.pk))
    page.fill("#id_workers_met", "7")
    page.fill("#id_findings", "午休场所不足 no place for the lunch break")
    page.select_option("#id_issue_0_category", "station_shortage")
    page.fill("#id_issue_0_description", "附近没有驿站 no station nearby")
    page.screenshot(path=str(ARTIFACTS / "outreach-visit-phone.png"), full_page=True)
    page.click("main button[type=submit]")  # not the language switch's
    page.wait_for_selector(".ws-messages")
    visit = Visit.objects.get()
    case = Case.objects.get(visit_issue__visit=visit)
    assert case.channel == Channel.VISIT and visit.workers_met == 7
    assert case.reference in page.locator(".ws-recent").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / "outreach-visit-desktop.png"), full_page=True)
    assert watched.errors == [] and watched.dialogs == []


def test_the_public_dashboard_on_a_phone_and_a_desktop(browser, live_server, tree):
    now = timezone.now()
    for i in range(7):
        make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=40 + i),
                  status="resolved", resolved_at=now - timedelta(days=36 + i),
                  resolution="已办结 done", rating=5, reporter_name="张三")
    make_case(area=tree.b, union=tree.b.union, created_at=now - timedelta(days=3))
    watched = Watched(browser)
    page = watched.page
    page.goto(live_server.url + f"/dashboard/{tree.c.adcode}/")
    text = page.locator("main").inner_text()
    assert "<5" in text and "张三" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _small_targets(page, "main nav a") == []
    page.screenshot(path=str(ARTIFACTS / "outreach-dashboard-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / "outreach-dashboard-desktop.png"), full_page=True)
    assert watched.errors == [] and watched.dialogs == []


def test_the_review_page_on_a_phone(browser, live_server, tree):
    staff = make_staff(tree.a.union, first_name="李", last_name="四")
    firm = make_enterprise(tree.a, is_key=True, street="塔山街道", owner=staff)
    make_enterprise(tree.a, is_key=True, street="府山街道", name="未走访企业 not visited")
    for _ in range(4):
        Visit.objects.create(enterprise=firm, visited_on=timezone.localdate(), staff=staff,
                             findings="f")
    _log_in(browser, live_server, staff)
    watched = Watched(browser)
    page = watched.page
    page.goto(live_server.url + "/outreach/reviews/?period=week")
    assert "未走访企业" in page.locator("main").inner_text()
    assert _small_targets(page, "main nav a, main .ws-links a") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "outreach-review-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / "outreach-review-desktop.png"), full_page=True)
    assert watched.errors == [] and watched.dialogs == []
