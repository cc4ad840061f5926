"""API errors in the caller's language: Chinese by default, English on request, the same field."""

import re

import pytest
from django.urls import reverse

CJK = re.compile(r"[\u4e00-\u9fff]")
BAD_CASE = {"category": "other", "description": "x", "lat": "95", "lon": "116.4"}


def errors(api, language: str | None) -> dict:
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = api.post(reverse("cases:case-list"), BAD_CASE, format="json", **headers)
    assert response.status_code == 400
    return response.json()["errors"]


@pytest.mark.django_db
def test_the_same_bad_request_is_answered_in_chinese_or_english_naming_the_same_field(api):
    chinese, english = errors(api, "zh-hans"), errors(api, "en")
    assert set(chinese) == set(english) == {"lat"}
    assert CJK.search(chinese["lat"][0]) and not re.search("[A-Za-z]{3,}", chinese["lat"][0])
    assert english["lat"] == ["must be between -90 and 90"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", [None, "fr", "xx-yy", "de-DE,de;q=0.9"])
def test_an_unknown_or_missing_language_falls_back_to_chinese(api, language):
    message = errors(api, language)["lat"][0]
    assert CJK.search(message), message


@pytest.mark.django_db
def test_drf_and_the_project_answer_in_one_language(api):
    # Two fields: one refused by DRF's own message, one by the project's.
    body = {"category": "gossip", "description": "x", "lat": "95", "lon": "116.4"}
    for language, pattern in [("en", re.compile(r"^[\x00-\x7f“”]+$")), ("zh-hans", CJK)]:
        response = api.post(reverse("cases:case-list"), body, format="json",
                            HTTP_ACCEPT_LANGUAGE=language)
        found = response.json()["errors"]
        assert set(found) == {"category", "lat"}
        for messages in found.values():
            assert all(pattern.search(m) for m in messages), (language, messages)


@pytest.mark.django_db
def test_a_limit_is_worded_in_each_requests_language_not_the_first_ones(api):
    # The nearest search shares its field templates between requests (FlatFieldsMixin).
    url = reverse("stations:facility-nearest")
    query = {"lat": "39.9", "lon": "116.4", "radius": "90000"}
    answers = [api.get(url, query, HTTP_ACCEPT_LANGUAGE=language).json()["errors"]["radius"][0]
               for language in ("en", "zh-hans", "en")]
    assert answers[0] == answers[2] == "must be at most 50000 metres"
    assert answers[1] == "不能超过 50000 米"
