import pytest
from django.db import connection

from demo.load import load_demo, remove_demo
from tests.conftest import AREA_TABLES, copy_real_areas


@pytest.fixture(scope="package")
def _demo_loaded(real_area_rows, django_db_blocker):
    # The small demo (seed 1) is loaded once for this package and committed, with the real areas
    # under it; both are removed afterwards so the other test packages never see them. Tests
    # change the demo only inside their own transaction.
    with django_db_blocker.unblock():
        copy_real_areas(real_area_rows)
        load_demo(seed=1, scale="small")
    yield
    with django_db_blocker.unblock():
        remove_demo()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(AREA_TABLES)} CASCADE")


@pytest.fixture
def small_demo(_demo_loaded, real_areas):
    """The real areas with the small demo (seed 1) on them; dict adcode -> Area."""
    return real_areas
