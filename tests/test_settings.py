import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "project.settings", "SECRET_KEY": "test"})
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "perhaps", "DEBUG must be one of"),
        ("CONN_MAX_AGE", "forever", "CONN_MAX_AGE must be an integer"),
        ("DATABASE_URL", "mysql://root@localhost/waystation", "DATABASE_URL must point at a PostgreSQL"),
        ("DATABASE_URL", "not a url", "DATABASE_URL"),
        ("ALLOWED_HOSTS", " , ", "ALLOWED_HOSTS must be a comma-separated list"),
        ("MAP_TILES_CRS", "bd09", "MAP_TILES_CRS must be wgs84 or gcj02"),
    ],
)
def test_it_refuses_to_start_on_a_bad_value_naming_the_variable(variable, value, message):
    result = start(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_it_requires_a_secret_key_unless_debug_is_on():
    assert "SECRET_KEY must be set" in start(SECRET_KEY=None).stderr
    assert start(SECRET_KEY=None, DEBUG="1").returncode == 0


def test_it_starts_with_good_values():
    result = start(DEBUG="off", ALLOWED_HOSTS="example.org,127.0.0.1", CONN_MAX_AGE="60")
    assert result.returncode == 0, result.stderr
