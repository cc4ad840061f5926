from types import SimpleNamespace

import pytest

from stations.models import AreaLevel, Union
from tests.conftest import SEED_DISTRICTS
from tests.factories import make_area, square


@pytest.fixture
def seed_unions(real_areas) -> dict[str, Union]:
    """A union for each of the five seed districts, keyed by adcode."""
    return {
        code: Union.objects.create(area=real_areas[code], name=f"{name}总工会")
        for code, name in SEED_DISTRICTS.items()
    }


@pytest.fixture
def tree(db) -> SimpleNamespace:
    """Tiny hand-made jurisdictions:

        province P (100..110 E, 0..10 N), union
        ├── city C (100..104), union
        │   ├── district A (100..102), union A
        │   └── district B (102..104), union B
        └── city K (105..109), no union
            └── district E (105..107), no union
    """
    p = make_area(square(100, 0, 10), level=AreaLevel.PROVINCE, name="省P", union="P省总工会")
    c = make_area(square(100, 0, 4), parent=p, level=AreaLevel.CITY, name="市C", union="C市总工会")
    a = make_area(square(100, 0, 2), parent=c, name="区A", union="A区总工会")
    b = make_area(square(102, 0, 2), parent=c, name="区B", union="B区总工会")
    k = make_area(square(105, 0, 4), parent=p, level=AreaLevel.CITY, name="市K")
    e = make_area(square(105, 0, 2), parent=k, name="区E")
    for area in (p, c, a, b):
        area.refresh_from_db()
    return SimpleNamespace(p=p, c=c, a=a, b=b, k=k, e=e)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Staff accounts are made in most tests; the production hasher takes ~0.3 s per password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner_area(db):
    """An area with a union, for intake tests about something other than routing: every case
    needs an owner (a location, a facility or an area), so they name this one."""
    return make_area(square(60, 50, 1), name="区O", union="O区总工会")
