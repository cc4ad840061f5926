from types import SimpleNamespace

import pytest
from django.core.cache import cache

from open311.models import ApiKey
from tests.cases import conftest as cases_conftest

# The case tests' jurisdictions (`tree`) and fast password hashing, shared.
tree = cases_conftest.tree
fast_password_hashing = cases_conftest.fast_password_hashing


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The open311 rate is counted in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def keys(tree) -> SimpleNamespace:
    """Raw keys: of union A, of union B, and of a system with no union."""
    return SimpleNamespace(
        a=ApiKey.issue("A区系统", tree.a.union)[1],
        b=ApiKey.issue("B区系统", tree.b.union)[1],
        none=ApiKey.issue("省平台")[1],
    )
