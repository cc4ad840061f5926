import pytest

from tests.factories import make_staff

# The cache is emptied around every test by tests/conftest.py's `_fresh_cache`.


@pytest.fixture
def staff_client(client, db):
    client.force_login(make_staff(username="planner"))
    return client
