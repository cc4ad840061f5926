"""Refused submissions: the spec's codes and error shape, and nothing written."""

import pytest

from cases.models import Case
from open311.models import ApiKey, Open311Request

from .helpers import body, submit


def _nothing_written():
    return not Case.objects.exists() and not Open311Request.objects.exists()


@pytest.mark.parametrize("key", ["ws_not-a-key", ""])
def test_a_wrong_or_missing_key_is_403(client, tree, keys, key):
    response = submit(client, key)

    assert response.status_code == 403
    (error,) = body(response)
    assert error["code"] == 403 and "api_key" in error["description"]
    assert _nothing_written()


def test_a_revoked_key_is_403(client, tree, keys):
    ApiKey.objects.get(name="省平台").revoke()

    assert submit(client, keys.none).status_code == 403
    assert _nothing_written()


def test_an_unknown_service_is_404(client, tree, keys):
    response = submit(client, keys.none, service_code="potholes")

    assert response.status_code == 404
    assert body(response)[0]["code"] == 404
    assert _nothing_written()


def test_no_service_code_is_400(client, tree, keys):
    response = submit(client, keys.none, service_code="")

    assert response.status_code == 400
    assert body(response)[0]["description"].startswith("service_code")


def test_a_missing_location_is_400(client, tree, keys):
    response = submit(client, keys.none, lat=None, long=None, address_string="人民路1号")

    assert response.status_code == 400
    (error,) = body(response)
    assert error["code"] == 400
    assert "lat" in error["description"] and "address_string" in error["description"]
    assert _nothing_written()


def test_a_missing_location_is_400_in_xml(client, tree, keys):
    response = submit(client, keys.none, fmt="xml", lat=None, long=None)

    assert response.status_code == 400
    root = body(response)
    assert (root.tag, root.findtext("error/code")) == ("errors", "400")


def test_bad_fields_are_each_named(client, tree, keys):
    response = submit(client, keys.none, long="181", phone="call me", email="nope")

    assert response.status_code == 400
    named = sorted(e["description"].split(":")[0] for e in body(response))
    assert named == ["email", "long", "phone"]
    assert _nothing_written()


def test_lat_without_long_is_400_naming_long(client, tree, keys):
    response = submit(client, keys.none, long=None)

    assert response.status_code == 400
    assert [e["description"].split(":")[0] for e in body(response)] == ["long"]


def test_an_unknown_jurisdiction_is_404(client, tree, keys):
    response = submit(client, keys.none, jurisdiction_id="999999")

    assert response.status_code == 404
    assert "jurisdiction_id" in body(response)[0]["description"]
    assert _nothing_written()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_body_that_is_not_an_object_is_400(client, tree, keys, fmt):
    from .helpers import url

    response = client.post(
        url("requests", fmt, {"api_key": keys.none}), [1, 2], content_type="application/json"
    )
    assert response.status_code == 400
    found = body(response)
    assert (found[0]["code"] if fmt == "json" else found.findtext("error/code")) in (400, "400")
    assert _nothing_written()


def test_a_malformed_json_body_is_400_in_xml(client, tree, keys):
    from .helpers import url

    response = client.post(url("requests", "xml"), "{nope", content_type="application/json")
    assert response.status_code == 400
    assert body(response).tag == "errors"
