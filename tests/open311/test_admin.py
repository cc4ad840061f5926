"""API keys in the admin: listed by prefix with last use, issued once, revoked, never deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import WARNING, get_messages
from django.urls import reverse

from open311.models import ApiKey


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(user)
    return client


def test_the_list_shows_prefix_union_and_last_use(admin_client, tree):
    key, raw = ApiKey.issue("省平台", tree.a.union)

    page = admin_client.get(reverse("admin:open311_apikey_changelist")).content.decode()

    assert key.prefix in page and tree.a.union.name in page
    assert raw not in page and key.key_hash not in page


def test_adding_a_key_shows_it_once(admin_client, tree):
    response = admin_client.post(
        reverse("admin:open311_apikey_add"), {"name": "区平台", "union": tree.b.union.pk}
    )

    assert response.status_code == 302
    key = ApiKey.objects.get()
    (shown,) = [m.message for m in get_messages(response.wsgi_request) if m.level == WARNING]
    raw = shown[shown.index("ws_"):]
    assert ApiKey.objects.authenticate(raw) == key
    assert key.union == tree.b.union


def test_the_revoke_action(admin_client, tree):
    key, raw = ApiKey.issue("x")

    admin_client.post(
        reverse("admin:open311_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )

    key.refresh_from_db()
    assert key.revoked_at is not None
    assert ApiKey.objects.authenticate(raw) is None


def test_keys_cannot_be_deleted(admin_client, tree):
    key, _raw = ApiKey.issue("x")

    response = admin_client.get(reverse("admin:open311_apikey_delete", args=[key.pk]))
    assert response.status_code == 403


def test_the_state_filter_separates_revoked_keys(admin_client, tree):
    ApiKey.issue("仍在用 kept")
    old, _raw = ApiKey.issue("已停用 stopped")
    old.revoke()
    changelist = reverse("admin:open311_apikey_changelist")

    active = admin_client.get(changelist, {"state": "active"}).content.decode()
    revoked = admin_client.get(changelist, {"state": "revoked"}).content.decode()

    assert "仍在用 kept" in active and "已停用 stopped" not in active
    assert "已停用 stopped" in revoked and "仍在用 kept" not in revoked
