"""/maps/heatmap/ opens on the staff member's own jurisdiction and says so."""

import pytest
from django.urls import reverse

from cases.models import Category
from tests.factories import make_area, make_staff, square
from tests.maps.support import cases_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def union_staff(client):
    home = make_area(square(116.3, 39.8, 0.3), adcode="110105", name="朝阳区", union=True)
    make_area(square(121.3, 31.1, 0.3), adcode="310101", name="黄浦区")
    cases_at(116.40, 39.90, 3, Category.SAFETY, area=home)
    cases_at(121.45, 31.22, 5, Category.SAFETY)
    client.force_login(make_staff(home.union, username="chaoyang"))
    return client


def test_it_opens_on_the_jurisdiction_and_says_so(union_staff):
    response = union_staff.get(reverse("maps:heatmap"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.context["page"]
    assert page.area.adcode == "110105" and page.cases == 3
    html = response.content.decode()
    assert "Covers 朝阳区 (110105) and its sub-areas." in html
    assert "jurisdiction; empty the area field to see every area." in html


def test_an_empty_area_shows_every_area_and_says_it_adds_them_up(union_staff):
    response = union_staff.get(reverse("maps:heatmap"), {"area": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["page"].area is None and response.context["page"].cases == 8
    assert "Covers every area: the figures add all areas together." in response.content.decode()


def test_planners_without_a_union_start_from_every_area(staff_client):
    response = staff_client.get(reverse("maps:heatmap"))
    assert response.status_code == 200 and response.context["page"].area is None
