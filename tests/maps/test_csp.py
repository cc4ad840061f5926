"""The map pages run under a Content-Security-Policy that allows no inline script but folium's,
which carries the request's nonce (maps.render.with_nonce)."""

import re

import pytest
from django.urls import reverse

from stations.models import FacilityKind
from tests.factories import make_facility

pytestmark = pytest.mark.django_db


def test_the_policy_allows_scripts_from_the_site_and_the_nonce_only(client):
    response = client.get(reverse("maps:facility-map"))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert re.search(r"'nonce-[^']+'", script_src)


def test_every_inline_script_of_a_map_page_carries_the_nonce(client):
    make_facility(116.4, 39.9, kind=FacilityKind.CANTEEN)
    response = client.get(reverse("maps:facility-map"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    # Inline scripts that run: not those with a src, not json_script's data blocks.
    inline = re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))([^>]*)>", html)
    assert inline, "the folium map should have inline scripts"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_pages_send_a_permissions_policy(client):
    response = client.get(reverse("maps:find"))
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
