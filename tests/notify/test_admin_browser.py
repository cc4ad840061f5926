"""The back office pages for webhooks and the delivery log, in Debian's chromium (Playwright):
a webhook added with its secret shown once, a paused one marked, the retries of a delivery with
their backoff. Phone and desktop sizes; screenshots go to artifacts/."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.utils import timezone

from notify.models import Delivery, DeliveryAttempt, Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=list(SIZES))
def browser(request, tmp_path, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport=SIZES[request.param], locale="zh-CN",
        )
        # Nothing leaves 127.0.0.1.
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith(live_server.url) else route.abort())
        superuser = get_user_model().objects.create_superuser("boss", password="pw")
        client = Client()
        client.force_login(superuser)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
        context.size = request.param
        yield context
        context.close()
        connections.close_all()


def test_adding_a_webhook_shows_its_secret_once(browser, live_server):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/admin/notify/subscription/add/")
    page.fill("input[name=url]", "http://10.0.0.8:9000/sms")
    page.check("input[name=events][value='case.created']")
    page.check("input[name=events][value='case.overdue']")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / f"notify-webhook-added-{browser.size}.png"), full_page=True)
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").all_inner_texts()
    sub = Subscription.objects.get()
    assert page.locator(".messagelist").inner_text().count(sub.secret) == 1

    page.goto(live_server.url + f"/admin/notify/subscription/{sub.pk}/change/")
    assert sub.secret not in page.content()
    assert page.locator("input[name=secret]").count() == 0
    assert errors == []


def test_the_delivery_log_shows_each_attempt_and_the_backoff(browser, live_server):
    sub = Subscription.objects.create(
        url="http://10.0.0.8:9000/sms", secret="x" * 20, events=["case.created"],
        paused_at=timezone.now(), consecutive_failures=12,
    )
    delivery = Delivery.objects.create(
        event_id="3f5b1f4e-0000-4000-8000-000000000001", event_type="case.created",
        case_reference="330411-2026-000123", subscription=sub, payload={"id": "x"}, attempts=3,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    at = timezone.now() - timedelta(minutes=5)
    for n, wait in enumerate([30, 60, 120]):
        DeliveryAttempt.objects.create(
            delivery=delivery, at=at + timedelta(seconds=n * 200), ok=False,
            error="ConnectionRefusedError: [Errno 111] Connection refused", duration_ms=2,
            next_attempt_at=at + timedelta(seconds=n * 200 + wait),
        )
    page = browser.new_page()
    page.goto(live_server.url + "/admin/notify/subscription/")
    assert page.locator("td.field-delivering img[alt=False]").count() == 1  # paused: red mark
    page.screenshot(path=str(ARTIFACTS / f"notify-webhooks-{browser.size}.png"), full_page=True)

    page.goto(live_server.url + f"/admin/notify/delivery/{delivery.pk}/change/")
    rows = page.locator(".inline-related tbody tr")
    assert rows.count() >= 3
    assert "Connection refused" in page.content()
    assert [page.locator("td.field-wait").nth(i).inner_text() for i in range(3)] == [
        "30 s", "60 s", "120 s",
    ]
    page.screenshot(path=str(ARTIFACTS / f"notify-delivery-{browser.size}.png"), full_page=True)
