"""The facility back office: list filtered by kind, status and area; search; map widget."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from stations.models import AreaLevel, Facility
from tests.factories import make_area, make_facility, square

pytestmark = pytest.mark.django_db
LIST = reverse("admin:stations_facility_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", password="pw"))
    return client


@pytest.fixture
def places():
    city = make_area(square(116.0, 39.5, 1.0), level=AreaLevel.CITY)
    district = make_area(square(116.0, 39.5, 0.5), parent=city)
    make_facility(116.1, 39.6, name="区内驿站")
    make_facility(116.9, 39.9, name="市内食堂", kind="canteen")
    make_facility(120.0, 30.0, name="外地驿站")
    return {"city": city, "district": district}


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {str(f) for f in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"kind__exact": "canteen"}, {"市内食堂"}),
        ({"q": "外地"}, {"外地驿站"}),
        ({"status__exact": "open"}, {"区内驿站", "市内食堂", "外地驿站"}),
    ],
)
def test_it_filters_and_searches(admin_client, places, params, expected):
    assert listed(admin_client.get(LIST, params)) == expected


def test_it_filters_by_area_with_sub_areas(admin_client, places):
    assert listed(admin_client.get(LIST, {"area": places["city"].adcode})) == {
        "区内驿站", "市内食堂"}
    assert listed(admin_client.get(LIST, {"area": places["district"].adcode})) == {"区内驿站"}


def test_it_edits_with_a_map_and_checks_the_hours(admin_client, places):
    facility = Facility.objects.get(name="区内驿站")
    url = reverse("admin:stations_facility_change", args=[facility.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    # The project's own map widget for the location; nothing from another host (no OpenLayers).
    # (Static names carry a content hash: stations/point_map.<hash>.js.)
    assert re.search(rb"stations/point_map(\.\w+)?\.js", page.content)
    assert re.search(rb"vendor/leaflet/leaflet(\.\w+)?\.js", page.content)
    assert b"OLMapWidget" not in page.content
    assert not re.search(rb"""(src|href)=["']?(https?:)?//""", page.content)
    response = admin_client.post(url, {
        "kind": "rest_station", "name": "区内驿站", "location": "SRID=4326;POINT(116.1 39.6)",
        "status": "open", "amenities": ["toilet"], "opening_hours": "Mo-Fr 8-20",
    })
    assert response.status_code == 200  # the form again, with the error
    assert "opening_hours" in response.context["adminform"].form.errors
