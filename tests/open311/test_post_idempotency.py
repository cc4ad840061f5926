"""A retry (same key, device_id and client token) returns the first request; nothing else does."""

from cases.models import Case
from open311.models import Open311Request

from .helpers import body, submit


def test_a_retry_returns_the_same_request(client, tree, keys):
    first = submit(client, keys.none, device_id="phone-1", client_token="t-1")
    again = submit(client, keys.none, device_id="phone-1", client_token="t-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert body(first) == body(again)
    assert Case.objects.count() == Open311Request.objects.count() == 1


def test_another_device_or_key_with_the_same_token_is_a_new_request(client, tree, keys):
    first = body(submit(client, keys.none, device_id="phone-1", client_token="t-1"))[0]
    other_device = body(submit(client, keys.none, device_id="phone-2", client_token="t-1"))[0]
    other_key = body(submit(client, keys.a, device_id="phone-1", client_token="t-1"))[0]

    ids = {first["service_request_id"], other_device["service_request_id"],
           other_key["service_request_id"]}
    assert len(ids) == 3
    # Another system's retry can never fetch this case's tracking token.
    assert first["token"] not in (other_device["token"], other_key["token"])


def test_without_a_client_token_each_post_is_a_request(client, tree, keys):
    submit(client, keys.none, device_id="phone-1")
    submit(client, keys.none, device_id="phone-1")

    assert Case.objects.count() == 2
