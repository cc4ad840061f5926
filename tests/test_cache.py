"""The shared cache (CACHE_URL, default the database): what one worker writes, another reads."""

import pytest
from django.core.cache import cache
from django.db import connection

from project.cache import DatabaseCache

pytestmark = pytest.mark.django_db


def test_a_value_written_is_read_back_and_overwritten_in_place():
    cache.set("k", {"n": 1}, 60)
    cache.set("k", {"n": 2}, 60)
    assert cache.get("k") == {"n": 2}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_cache WHERE cache_key LIKE %s", ["%k"])
        assert cursor.fetchone()[0] == 1


def test_an_expired_value_is_gone():
    cache.set("old", 1, -1)
    assert cache.get("old") is None


def test_it_culls_when_over_its_size(monkeypatch):
    monkeypatch.setattr("project.cache.CULL_EVERY", 1)
    small = DatabaseCache("django_cache", {"OPTIONS": {"MAX_ENTRIES": 10}})
    for n in range(30):
        small.set(f"n{n}", n, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_cache")
        assert cursor.fetchone()[0] <= 11
