"""Riders' pages are public; the case heatmap and the gap map are for staff only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

STAFF_PAGES = ["maps:heatmap", "maps:gap-map"]
PUBLIC_PAGES = ["maps:find", "maps:facility-map"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_it_serves_riders_pages_to_anyone(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_it_sends_anonymous_visitors_to_the_staff_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_it_sends_accounts_without_staff_status_to_the_staff_login(client, db, name):
    client.force_login(get_user_model().objects.create_user("rider", password="pw"))
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_it_serves_staff_pages_to_staff(staff_client, name):
    response = staff_client.get(reverse(name))
    assert response.status_code == 200
    # staff see the staff links
    assert f'href="{reverse("maps:gap-map")}"'.encode() in response.content


def test_it_hides_staff_links_from_the_public(client, db):
    page = client.get(reverse("maps:facility-map")).content
    assert f'href="{reverse("maps:gap-map")}"'.encode() not in page
