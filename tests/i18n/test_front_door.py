"""The front door `/`: what the service is and the way in for each visitor, with the hotline."""

import pytest
from django.urls import reverse

from project import views

pytestmark = pytest.mark.django_db


def test_it_shows_the_ways_in_and_the_hotline(client):
    page = client.get("/").content.decode()
    for url in [reverse("maps:find"), reverse("admin:index"), reverse("maps:gap-map"),
                reverse("maps:facility-map"), reverse("maps:heatmap")]:
        assert f'href="{url}"' in page, url
    assert 'href="tel:12351"' in page


def test_it_speaks_the_visitors_language(client):
    chinese = client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "工会服务热线" in chinese and "Union hotline" not in chinese
    assert "Union hotline" in english and "工会服务热线" not in english


def test_it_links_the_workers_pages_only_when_they_exist(client, monkeypatch):
    # Until /report/ and /track/ are installed, the page says to call instead.
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("Report a problem" in page) == (views.optional_url("cases:report") is not None)
    monkeypatch.setattr(views, "optional_url", lambda name: f"/{name.split(':')[1]}/")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/report/"' in page and 'href="/track/"' in page


def test_optional_url_is_none_for_a_route_that_is_not_there():
    assert views.optional_url("cases:no-such-page") is None
    assert views.optional_url("maps:find") == reverse("maps:find")
