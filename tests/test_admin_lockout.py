"""Guessing the admin password locks the account out from that address (django-axes)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return get_user_model().objects.create_superuser("boss", password="right-password-1")


def log_in(client, password: str, address: str = "10.1.1.1") -> int:
    response = client.post(reverse("admin:login"), {"username": "boss", "password": password},
                           REMOTE_ADDR=address)
    return response.status_code


def test_five_wrong_passwords_lock_out_even_the_right_one(client, admin_user, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert [log_in(client, f"guess-{n}") for n in range(5)][-1] in (200, 429)
    assert log_in(client, "right-password-1") == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_address(client, admin_user):
    for n in range(5):
        log_in(client, f"guess-{n}")
    assert log_in(client, "right-password-1", address="10.2.2.2") == 302  # logged in
