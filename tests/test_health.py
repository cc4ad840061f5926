import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_it_reports_database_and_postgis_version(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def get_without_database(path):
    """GET `path` in a separate Django process whose database URL nothing listens on."""
    script = (
        "import django, json; django.setup();"
        f"from django.test import Client; r = Client().get({path!r});"
        "print(json.dumps({'status': r.status_code, 'type': r['Content-Type'],"
        " 'body': r.content.decode()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/waystation",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "SECRET_KEY": "test",
        "ALLOWED_HOSTS": "testserver",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_it_answers_503_with_json_when_the_database_is_unreachable():
    result = get_without_database("/healthz")
    assert result["status"] == 503
    assert result["type"] == "application/json"
    assert json.loads(result["body"])["database"] == "unavailable"


def test_an_api_call_without_a_database_is_503_not_500():
    result = get_without_database("/api/areas/?lat=30.7&lon=120.6")
    assert result["status"] == 503
    assert json.loads(result["body"])["errors"]["database"]
