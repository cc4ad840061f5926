"""load_demo loads the real areas itself when there are none (a fresh database)."""

import pytest
from django.db import connection

from demo.load import load_demo, remove_demo
from stations.models import Area, Facility

pytestmark = pytest.mark.django_db


def test_it_imports_the_areas_when_the_database_has_none(small_demo):
    remove_demo()
    with connection.cursor() as cursor:
        # in this test's transaction only; parent links are checked at commit, which never comes
        cursor.execute("DELETE FROM stations_areapiece; DELETE FROM stations_area")
    assert not Area.objects.exists()
    load_demo(seed=1)
    assert Area.objects.count() == len(small_demo)
    assert Facility.objects.filter(is_demo=True, area__adcode="431302").exists()
