"""Inputs that used to end in a 500 answer a JSON 4xx naming the field (issue 14, item 2)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_facility, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # The messages are checked in English (the catalogue gives them in Chinese by default).
    return Client(headers={"Accept-Language": "en"})


def errors(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()["errors"]


@pytest.fixture
def staff(client):
    # A superuser: these tests are about the body, not about permissions or jurisdiction.
    client.force_login(make_staff(username="editor", is_superuser=True))
    return client


@pytest.mark.parametrize("properties", [None, "x", 3, ["a"]])
def test_a_facility_whose_properties_are_not_an_object_is_400_on_post_and_patch(staff, properties):
    body = json.dumps({"type": "Feature", "properties": properties})
    created = staff.post(reverse("stations:facility-list"), body, content_type="application/json")
    assert "properties" in errors(created, 400)
    facility = make_facility(116.4, 39.9)
    url = reverse("stations:facility-detail", args=[facility.pk])
    patched = staff.patch(url, body, content_type="application/json")
    assert "properties" in errors(patched, 400)


def test_a_multipart_properties_field_is_400(staff):
    response = staff.post(reverse("stations:facility-list"), {"properties": "x"})
    assert "properties" in errors(response, 400)


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_json_nested_100000_deep_is_400_not_a_recursion_error(client, opening, closing):
    body = opening * 100_000 + ("1" if opening != "[" else "") + closing * 100_000
    response = client.post(reverse("cases:case-list"), body, content_type="application/json")
    assert "nested too deeply" in errors(response, 400)["detail"][0]


@pytest.mark.parametrize("url", ["/api/cases/track/%00/?token=x", "/api/facilities/%00/"])
def test_a_nul_byte_in_the_path_is_400(client, url):
    assert "path" in errors(client.get(url), 400)


@pytest.mark.parametrize("name", ["maps:facility-map", "maps:heatmap", "maps:gap-map", "maps:gap-cells",
                                  "maps:gap-sites", "maps:find"])
def test_a_nul_byte_in_a_parameter_is_400_naming_it(staff, name):
    response = staff.get(reverse(name) + "?kind=canteen&area=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert errors(response, 400) == {"area": ["must not contain a NUL character"]}


@pytest.mark.parametrize(("name", "params", "field"), [
    ("cases:case-stats", {"since": "0001-01-01"}, "since"),
    ("cases:case-stats", {"until": "9999-12-31"}, "until"),
    ("maps:gap-cells", {"kind": "canteen", "since": "0001-01-01"}, "since"),
    ("maps:gap-cells", {"kind": "canteen", "until": "9999-12-31"}, "until"),
])
def test_dates_out_of_range_are_400(staff, name, params, field):
    assert field in errors(staff.get(reverse(name), params), 400)


def test_the_heatmap_page_shows_a_year_1_date_as_a_form_error(staff):
    response = staff.get(reverse("maps:heatmap"), {"since": "0001-01-01"})
    assert response.status_code == 400
    assert "1900-01-01" in response.content.decode()


def test_a_body_over_the_limit_is_a_json_413(client, settings):
    settings.MAX_BODY_BYTES = 1000
    response = client.post(reverse("cases:case-list"), "x" * 2000, content_type="application/json")
    assert "body" in errors(response, 413)


def test_a_body_over_djangos_memory_limit_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"category": "other", "description": "x" * 2000})
    response = client.post(reverse("cases:case-list"), body, content_type="application/json")
    assert "body" in errors(response, 413)


def test_an_unknown_api_path_is_a_json_404(client):
    assert "detail" in errors(client.get("/api/no-such-thing/"), 404)


def test_an_unknown_page_outside_the_api_is_still_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
