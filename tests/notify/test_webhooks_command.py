from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notify.models import Subscription
from tests.notify.helpers import district


def _run(*args) -> str:
    out = StringIO()
    call_command("webhooks", *args, stdout=out)
    return out.getvalue()


def test_it_adds_a_webhook_for_a_union_and_never_lists_the_secret(db):
    d = district()
    secret = "s3cret-for-the-gateway-000"
    out = _run("add", "http://10.0.0.5:9000/sms", "--secret", secret,
               "--events", "case.created,case.overdue", "--union", d.area.adcode)
    sub = Subscription.objects.get()
    assert (sub.url, sub.events, sub.union, sub.secret) == (
        "http://10.0.0.5:9000/sms", ["case.created", "case.overdue"], d.union, secret,
    )
    assert secret not in out
    assert secret not in _run("list")


def test_a_generated_secret_is_shown_once(db):
    out = _run("add", "https://gateway.example/hook", "--events", "case.created")
    secret = Subscription.objects.get().secret
    assert secret in out and len(secret) >= 32
    assert secret not in _run("list")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("ftp://gateway.example/hook", "url"),
        ("javascript:alert(1)", "url"),
        ("http://127.0.0.1:8000/api/cases/", "url"),  # the service itself (SITE_URL)
        ("http://localhost:8000/api/cases/", "url"),
    ],
)
def test_bad_urls_are_refused_naming_the_field(db, url, field):
    with pytest.raises(CommandError, match=f"^{field}:"):
        _run("add", url, "--secret", "x" * 20, "--events", "case.created")
    assert not Subscription.objects.exists()


def test_the_services_public_host_is_refused_but_a_gateway_on_loopback_is_not(db, settings):
    settings.ALLOWED_HOSTS = ["waystation.example.org", "127.0.0.1"]
    with pytest.raises(CommandError, match="^url:"):
        _run("add", "https://waystation.example.org/hook", "--secret", "x" * 20, "--events", "case.created")
    _run("add", "http://127.0.0.1:9100/sms", "--secret", "x" * 20, "--events", "case.created")
    assert Subscription.objects.count() == 1


def test_unknown_events_a_short_secret_and_an_unknown_union_are_refused(db):
    with pytest.raises(CommandError, match="^events:.*case.exploded"):
        _run("add", "https://g.example/h", "--secret", "x" * 20, "--events", "case.exploded")
    with pytest.raises(CommandError, match="^secret:"):
        _run("add", "https://g.example/h", "--secret", "short", "--events", "case.created")
    with pytest.raises(CommandError, match="^union:"):
        _run("add", "https://g.example/h", "--events", "case.created", "--union", "999999")
    assert not Subscription.objects.exists()


def test_a_paused_webhook_is_resumed(db):
    _run("add", "https://g.example/h", "--events", "case.created")
    sub = Subscription.objects.get()
    Subscription.objects.update(paused_at="2026-01-01T00:00:00Z", consecutive_failures=12)
    assert "paused" in _run("list") or "暂停" in _run("list")
    _run("resume", str(sub.pk))
    sub.refresh_from_db()
    assert sub.paused_at is None and sub.consecutive_failures == 0
