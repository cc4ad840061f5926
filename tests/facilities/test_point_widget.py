"""The back office's map widget: the project's Leaflet, the configured tiles, and the view opening
on the staff member's jurisdiction."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from stations.models import AreaLevel
from tests.factories import make_area, make_facility_staff, square

pytestmark = pytest.mark.django_db


def widget_config(page) -> dict:
    match = re.search(rb'<script id="id_location_config" type="application/json">(.*?)</script>',
                      page.content, re.S)
    return json.loads(match.group(1))


def test_it_opens_on_the_jurisdiction_with_the_configured_tiles(settings):
    settings.MAP_TILES_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    settings.MAP_TILES_CRS = "gcj02"
    city = make_area(square(116.0, 39.5, 1.0), level=AreaLevel.CITY, union="朝阳区总工会")
    client = Client()
    client.force_login(make_facility_staff(city.union))

    page = client.get(reverse("admin:stations_facility_add"))

    config = widget_config(page)
    assert config["bounds"] == pytest.approx([116.0, 39.5, 117.0, 40.5])
    assert (config["tilesUrl"], config["tilesCrs"]) == (settings.MAP_TILES_URL, "gcj02")
    assert re.search(rb"/static/vendor/leaflet/leaflet(\.\w+)?\.js", page.content)
