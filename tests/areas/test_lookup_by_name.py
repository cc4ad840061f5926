"""GET /api/areas/?q=: districts and towns by name, for a report that has only an address."""

import pytest
from django.urls import reverse

from stations.models import AreaLevel
from tests.factories import make_area, square

pytestmark = pytest.mark.django_db


def test_it_finds_districts_and_towns_by_part_of_the_name_with_their_union(api):
    city = make_area(square(116, 39, 2), level=AreaLevel.CITY, name="北京市", union="北京市总工会")
    make_area(square(116, 39, 1), parent=city, name="朝阳区")
    make_area(square(117, 39, 1), parent=city, name="海淀区", union="海淀区总工会")
    response = api.get(reverse("stations:area-lookup"), {"q": "朝阳"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["name"], r["union"]["name"]) for r in rows] == [("朝阳区", "北京市总工会")]
    # a city is not offered: cases belong to a district or town
    assert api.get(reverse("stations:area-lookup"), {"q": "北京"}).json()["results"] == []


def test_an_empty_name_is_a_400_naming_q(api):
    response = api.get(reverse("stations:area-lookup"), {"q": "  "})
    assert response.status_code == 400 and "q" in response.json()["errors"]
