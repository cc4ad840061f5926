"""Facilities written in bulk get the smallest area containing them, in one UPDATE."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations.models import AreaLevel, Facility
from tests.factories import make_area, make_facilities, square

pytestmark = pytest.mark.django_db


def test_it_assigns_the_smallest_containing_area():
    city = make_area(square(116.0, 39.5, 1.0), level=AreaLevel.CITY)
    district = make_area(square(116.0, 39.5, 0.5), parent=city)
    town = make_area(square(116.0, 39.5, 0.1), parent=district, level=AreaLevel.TOWN)
    make_facilities([
        {"lon": 116.05, "lat": 39.55, "name": "town"},
        {"lon": 116.3, "lat": 39.7, "name": "district"},
        {"lon": 116.8, "lat": 39.9, "name": "city"},
        {"lon": 100.0, "lat": 30.0, "name": "nowhere"},
    ])
    with CaptureQueriesContext(connection) as queries:
        updated = Facility.objects.all().assign_areas()
    assert updated == 4 and len(queries) == 1
    areas = dict(Facility.objects.values_list("name", "area"))
    assert areas == {"town": town.pk, "district": district.pk, "city": city.pk, "nowhere": None}
