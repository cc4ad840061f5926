"""The open311 rate (60/minute): per client address, and per API key where one is given."""

from open311.models import ApiKey

from .helpers import body, url


def test_the_61st_call_in_a_minute_is_429_in_the_specs_shape(client, db):
    for _ in range(60):
        assert client.get(url("discovery", "json")).status_code == 200

    response = client.get(url("discovery", "xml"))
    assert response.status_code == 429
    assert body(response).findtext("error/code") == "429"


def test_a_key_has_its_own_allowance(client, db):
    _key, raw = ApiKey.issue("x")
    for _ in range(60):
        client.get(url("services", "json"))

    assert client.get(url("services", "json")).status_code == 429
    assert client.get(url("services", "json", {"api_key": raw})).status_code == 200
