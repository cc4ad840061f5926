import pytest

from tests.cases.conftest import fast_password_hashing, seed_unions, tree  # noqa: F401, F811
from tests.factories import make_staff
from tests.outreach.builders import make_enterprise


@pytest.fixture
def staff_a(tree):  # noqa: F811
    return make_staff(tree.a.union)


@pytest.fixture
def firm(tree):  # noqa: F811
    """An enterprise in district A with its own workplace union under A's union."""
    return make_enterprise(tree.a, own_union=True)
