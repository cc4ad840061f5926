import pytest
from django.contrib.gis.geos import Point

from stations.models import Area, Union
from tests.factories import make_area, square


@pytest.mark.django_db
def test_containing_orders_smallest_first_and_covers_the_border():
    city = make_area(square(0, 0, 2), level="city")
    district = make_area(square(0, 0, 1), parent=city)
    on_border = Point(1, 0.5, srid=4326)  # on the district's east edge
    assert list(Area.objects.containing(on_border)) == [district, city]


@pytest.mark.django_db
def test_descendants_include_grandchildren_only_of_that_branch():
    province = make_area(square(0, 0, 4), level="province")
    city = make_area(square(0, 0, 2), parent=province, level="city")
    district = make_area(square(0, 0, 1), parent=city)
    other = make_area(square(2, 2, 1), parent=province)
    assert set(Area.objects.descendants_of(city)) == {city, district}
    assert set(Area.objects.descendants_of(province, include_self=False)) == {city, district, other}


@pytest.mark.django_db
def test_the_responsible_union_is_the_nearest_one_walking_up():
    province = make_area(square(0, 0, 4), level="province", union="省总工会")
    city = make_area(square(0, 0, 2), parent=province, level="city")
    district = make_area(square(0, 0, 1), parent=city, union="区总工会")
    town = make_area(square(0, 0, 0.5), parent=district, level="town")
    assert town.responsible_union().name == "区总工会"
    assert city.responsible_union().name == "省总工会"
    Union.objects.filter(name="区总工会").delete()
    assert town.responsible_union().name == "省总工会"
