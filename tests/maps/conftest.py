import pytest
from django.core.cache import cache

from tests.factories import make_staff


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Results are cached per process; a test must not see another test's answer.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client, db):
    client.force_login(make_staff(username="planner"))
    return client
