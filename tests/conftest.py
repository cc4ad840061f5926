import io
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import translation
from rest_framework.test import APIClient

# `browser` and its fixtures, for every page's tests.
pytest_plugins = ["tests.browser"]

AREAS_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "areas.geojson"
AREA_TABLES = ("stations_area", "stations_areapiece")
SEED_DISTRICTS = {
    "330411": "秀洲区",
    "330602": "越城区",
    "330723": "武义县",
    "431302": "娄星区",
    "110105": "朝阳区",
}


@pytest.fixture(autouse=True)
def _settings_language():
    """Each test starts in the settings' language (Chinese), as a command or a new request does:
    a request with another Accept-Language leaves that language active in the thread."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with an empty shared cache: no cached answer and no throttle count of
    another test. The cache is a database table, so only tests with the database touch it."""
    fixtures = set(request.fixturenames)
    if fixtures & {"transactional_db", "live_server"}:
        request.getfixturevalue("transactional_db")
    elif "db" in fixtures or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, its static files served as in production: by whitenoise from
    STATIC_ROOT under the hashed names collectstatic wrote. (pytest-django's default handler finds
    files by their plain names only, so every hashed script would be a 404.)"""
    from django.test.testcases import LiveServerThread
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread = LiveServerThread(
        "localhost", static_handler=lambda handler: handler, connections_override={}
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def real_area_rows(django_db_setup, django_db_blocker) -> dict[str, str]:
    """The real areas as COPY text, imported once per run and then rolled back.

    Tests that want them copy them into their own transaction (`real_areas`), so tests that build
    their own small areas never find the real ones underneath.
    """
    from stations.area_import import import_areas

    rows = {}
    with django_db_blocker.unblock(), transaction.atomic():
        import_areas(AREAS_FILE, commit=True)
        with connection.cursor() as cursor:
            for table in AREA_TABLES:
                buffer = io.StringIO()
                cursor.copy_expert(f"COPY {table} TO STDOUT", buffer)
                rows[table] = buffer.getvalue()
        transaction.set_rollback(True)
    return rows


def copy_real_areas(rows: dict[str, str]) -> None:
    from stations.models import Area

    if Area.objects.filter(adcode="110105").exists():
        return
    with connection.cursor() as cursor:
        for table in AREA_TABLES:
            cursor.copy_expert(f"COPY {table} FROM STDIN", io.StringIO(rows[table]))


@pytest.fixture
def real_areas(real_area_rows, db):
    """The 50 real areas from fixtures/areas.geojson; dict adcode -> Area."""
    from stations.models import Area

    copy_real_areas(real_area_rows)
    return {area.adcode: area for area in Area.objects.all()}
