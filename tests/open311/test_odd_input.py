"""Odd values a JSON client may send are 4xx in the spec's shape, never a 500."""

import pytest

from cases.models import Case

from .helpers import body, url


@pytest.mark.parametrize(
    "payload, status",
    [
        ({"api_key": 12345, "service_code": "safety", "lat": 1, "long": 101}, 403),
        ({"api_key": None, "service_code": "safety", "lat": 1, "long": 101}, 403),
        ({"service_code": ["safety"], "lat": 1, "long": 101}, 404),
        ({"service_code": "safety", "lat": "NaN", "long": 101}, 400),
        ({"service_code": "safety", "lat": [1], "long": 101}, 400),
        ({"service_code": "safety", "lat": 1, "long": 101, "jurisdiction_id": {"a": 1}}, 404),
        ({"service_code": "facility_problem", "attribute": "7"}, 400),
        ({"service_code": "facility_problem", "attribute": {"facility": "9" * 30}}, 400),
        ({"service_code": "safety", "lat": 1, "long": 101, "description": "x" * 4001}, 400),
    ],
)
def test_it_answers_4xx(client, tree, keys, payload, status):
    payload = {"api_key": keys.none, **payload}
    response = client.post(url("requests", "json"), payload, content_type="application/json")

    assert response.status_code == status
    assert body(response)[0]["code"] == status
    assert not Case.objects.exists()
