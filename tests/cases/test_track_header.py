"""/track/ sends the tracking token in a header, so it never travels in a URL."""

from django.urls import reverse

from .helpers import post_case


def test_the_token_is_read_from_the_header(api, tree):
    receipt = post_case(api, lat=1, lon=101).json()
    url = reverse("cases:case-track", args=[receipt["reference"]])
    assert api.get(url, HTTP_X_TRACKING_TOKEN=receipt["tracking_token"]).status_code == 200


def test_a_wrong_token_reads_like_an_unknown_reference(api, tree):
    receipt = post_case(api, lat=1, lon=101).json()
    wrong = api.get(reverse("cases:case-track", args=[receipt["reference"]]),
                    HTTP_X_TRACKING_TOKEN="not-the-token")
    unknown = api.get(reverse("cases:case-track", args=["000000-2026-999999"]),
                      HTTP_X_TRACKING_TOKEN="not-the-token")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
