"""Production settings from the environment only (issue 14, item 5): `check --deploy` is clean
with the documented variables, and HTTPS=on switches on the safe set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {  # as docs/operations.md lists them
    "DEBUG": "off",
    "SECRET_KEY": "p" * 60 + "-a-long-random-production-key",
    "ALLOWED_HOSTS": "waystation.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://waystation.example.org",
    "HTTPS": "on",
}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "HTTPS"}}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_https_on_sets_the_secure_switches():
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
            " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)")
    shell = ["manage.py", "shell", "-c", code]
    assert run(*shell, **PRODUCTION).stdout.split("\n")[-2] == (
        "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')")
    plain = {**PRODUCTION, "HTTPS": "off"}
    assert run(*shell, **plain).stdout.split("\n")[-2] == "False 0 False False None"


def test_basic_auth_is_off_unless_switched_on():
    code = ("from rest_framework.settings import api_settings as a;"
            " print(len(a.DEFAULT_AUTHENTICATION_CLASSES))")
    shell = ["manage.py", "shell", "-c", code]
    assert run(*shell, **PRODUCTION).stdout.strip().endswith("1")
    assert run(*shell, **PRODUCTION, API_BASIC_AUTH="on").stdout.strip().endswith("2")


def test_the_dev_secret_key_file_is_readable_by_its_owner_only(tmp_path):
    subprocess.run([str(ROOT / "scripts/dev_secret.sh")], check=True, capture_output=True)
    assert (ROOT / ".local/secret_key").stat().st_mode & 0o077 == 0
