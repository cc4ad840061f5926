from pathlib import Path

import pytest
from rest_framework.test import APIClient

AREAS_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "areas.geojson"
SEED_DISTRICTS = {
    "330411": "秀洲区",
    "330602": "越城区",
    "330723": "武义县",
    "431302": "娄星区",
    "110105": "朝阳区",
}


@pytest.fixture
def api():
    return APIClient()


def _load_real_areas():
    from stations.area_import import import_areas
    from stations.models import Area

    if not Area.objects.filter(adcode="110105").exists():
        import_areas(AREAS_FILE, commit=True)


@pytest.fixture(scope="session")
def _real_areas_loaded(django_db_setup, django_db_blocker):
    # Imported once per run and committed, so every test sees them without re-importing.
    with django_db_blocker.unblock():
        _load_real_areas()


@pytest.fixture
def real_areas(_real_areas_loaded, db):
    """The 50 real areas from fixtures/areas.geojson (reloaded if a transactional test flushed)."""
    from stations.models import Area

    _load_real_areas()
    return {area.adcode: area for area in Area.objects.all()}
