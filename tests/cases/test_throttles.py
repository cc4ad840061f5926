"""Intake, tracking and rating are rate-limited per client (issue 14, item 3): 429 + Retry-After.

The rates come from settings (THROTTLE_<SCOPE> in the environment); here they are set low.
"""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from tests.factories import make_staff

from .helpers import new_case, post_case


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "intake": "3/hour", "tracking": "2/minute", "rating": "1/hour",
        },
    }


def test_anonymous_intake_is_refused_with_429_and_retry_after_past_the_limit(
    api, owner_area, low_rates
):
    statuses = [post_case(api, area=owner_area.adcode).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    refused = post_case(api, area=owner_area.adcode)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "detail" in refused.json()["errors"]


def submit_from(api, **meta):
    # Placed in district A of the `tree` fixture: every case needs an owner.
    body = {"category": "other", "description": "测试 test", "lat": 1, "lon": 101}
    return api.post(reverse("cases:case-list"), body, format="json", **meta).status_code


def test_each_client_address_has_its_own_count(api, tree, low_rates):
    for _ in range(3):
        submit_from(api, REMOTE_ADDR="10.0.0.1")
    assert submit_from(api, REMOTE_ADDR="10.0.0.1") == 429
    assert submit_from(api, REMOTE_ADDR="10.0.0.2") == 201


def test_behind_the_proxy_the_forwarded_address_is_counted(api, tree, low_rates):
    # nginx (NUM_PROXIES=1) appends the client's address; what the client wrote before it is ignored.
    for n in range(3):
        submit_from(api, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 10.0.0.9")
    assert submit_from(api, HTTP_X_FORWARDED_FOR="7.7.7.7, 10.0.0.9") == 429
    assert submit_from(api, HTTP_X_FORWARDED_FOR="10.0.0.8") == 201


def test_staff_entering_cases_are_not_held_to_the_anonymous_rate(api, tree, low_rates):
    api.force_authenticate(make_staff(tree.a.union))
    assert {post_case(api).status_code for _ in range(5)} == {201}


def test_tracking_attempts_are_limited(api, tree, low_rates):
    case = new_case(Point(101, 1, srid=4326))
    url = reverse("cases:case-track", args=[case.reference])
    statuses = [api.get(url, {"token": f"guess-{n}"}).status_code for n in range(3)]
    assert statuses == [404, 404, 429]
    # The right token is refused too once the client is over the limit: guessing stops.
    assert api.get(url, {"token": case.tracking_token}).status_code == 429


def test_rating_attempts_are_limited(api, tree, low_rates):
    case = new_case(Point(101, 1, srid=4326))
    url = reverse("cases:case-rating", args=[case.reference])
    api.post(url, {"token": "wrong", "score": 5}, format="json")
    assert api.post(url, {"token": "wrong", "score": 5}, format="json").status_code == 429
