import pytest
from django.core.exceptions import ImproperlyConfigured

from project.env import env_email


def test_console_by_default(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_email("EMAIL_URL", "console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_smtp_with_starttls_and_credentials(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://union%40mail.example:p%2Fw@smtp.example.org?timeout=7")
    config = env_email("EMAIL_URL", "console://")
    assert config["EMAIL_HOST"] == "smtp.example.org" and config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "union@mail.example"
    assert config["EMAIL_HOST_PASSWORD"] == "p/w"
    assert config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]
    assert config["EMAIL_TIMEOUT"] == 7


def test_file_backend_takes_the_directory(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "file:///var/mail/waystation")
    assert env_email("EMAIL_URL", "console://")["EMAIL_FILE_PATH"] == "/var/mail/waystation"


@pytest.mark.parametrize("value", ["mailgun://key@x", "smtp://", "smtp://h:notaport", "file://"])
def test_a_bad_url_fails_at_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("EMAIL_URL", value)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL", "console://")
