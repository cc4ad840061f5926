"""The language switch (Django's set_language): remembered, safe, and `<html lang>` follows."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWITCH = reverse("set_language")


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_pages_are_chinese_by_default_and_english_on_request(client):
    assert html_lang(client.get("/")) == "zh-Hans"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")) == "en"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "zh-Hans"


def test_the_switch_is_remembered_on_the_next_page(client):
    response = client.post(SWITCH, {"language": "en", "next": reverse("maps:find")})
    assert response.status_code == 302 and response["Location"] == reverse("maps:find")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("maps:find"), HTTP_ACCEPT_LANGUAGE="zh-CN")  # the choice wins
    assert html_lang(page) == "en" and "Locate me" in page.content.decode()
    client.post(SWITCH, {"language": "zh-hans", "next": "/"})
    assert html_lang(client.get(reverse("maps:find"))) == "zh-Hans"


def test_every_page_offers_the_switch_back_to_where_it_was(client):
    page = client.get(reverse("maps:find") + "?kind=canteen").content.decode()
    assert f'action="{SWITCH}"' in page
    assert 'name="next" type="hidden" value="/find/?kind=canteen"' in page
    assert 'value="en" lang="en"' in page  # the other language, named in itself


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/path", "http://testserver.evil.example/",
])
def test_an_off_site_next_is_ignored(client, target):
    response = client.post(SWITCH, {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert response["Location"].startswith("/")


def test_an_unknown_language_code_changes_nothing(client):
    response = client.post(SWITCH, {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert html_lang(client.get("/")) == "zh-Hans"
