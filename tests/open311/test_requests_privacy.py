"""Who reads which request: public places for anyone, a person's dispute only for the union
whose jurisdiction holds it; never the reporter's name, phone or e-mail."""

import pytest
from django.contrib.gis.geos import Point

from tests.cases.helpers import new_case

from .helpers import body, url, xml_records


@pytest.fixture
def cases(tree):
    def case(lon, category):
        return new_case(
            Point(lon, 1, srid=4326), category=category, reporter_name="王小明",
            reporter_phone="13800000000",
        ).reference

    return {
        "public_a": case(101, "station_shortage"),
        "private_a": case(101, "wage_arrears"),
        "public_b": case(103, "charging_shortage"),
        "private_b": case(103, "labour_contract"),
    }


def _ids(client, key=None, fmt="json"):
    query = {"api_key": key} if key else None
    response = client.get(url("requests", fmt, query))
    assert response.status_code == 200
    if fmt == "xml":
        return {r["service_request_id"] for r in xml_records(body(response))}
    return {r["service_request_id"] for r in body(response)}


def test_without_a_key_only_public_places(client, cases):
    assert _ids(client) == {cases["public_a"], cases["public_b"]}
    assert _ids(client, fmt="xml") == {cases["public_a"], cases["public_b"]}


def test_a_key_without_a_union_reads_only_public_places(client, cases, keys):
    assert _ids(client, keys.none) == {cases["public_a"], cases["public_b"]}


def test_a_union_key_also_reads_its_own_jurisdiction(client, cases, keys):
    assert _ids(client, keys.a) == {cases["public_a"], cases["public_b"], cases["private_a"]}
    assert _ids(client, keys.b, fmt="xml") == {
        cases["public_a"], cases["public_b"], cases["private_b"],
    }


def test_another_unions_private_request_is_not_found(client, cases, keys):
    theirs = url("request", "json", {"api_key": keys.a}, service_request_id=cases["private_b"])
    anonymous = url("request", "xml", service_request_id=cases["private_a"])

    assert client.get(theirs).status_code == 404
    assert client.get(anonymous).status_code == 404


def test_public_requests_carry_description_and_location_but_no_reporter(client, cases, keys):
    for key in (None, keys.a):
        response = client.get(url("requests", "json", {"api_key": key} if key else None))
        assert "王小明" not in response.content.decode()
        assert "13800000000" not in response.content.decode()
    (public,) = [r for r in body(response) if r["service_request_id"] == cases["public_a"]]
    assert public["description"] and (public["lat"], public["long"]) == (1, 101)


def test_a_revoked_key_reads_nothing(client, cases, keys):
    from open311.models import ApiKey

    ApiKey.objects.get(name="A区系统").revoke()
    response = client.get(url("requests", "json", {"api_key": keys.a}))

    assert response.status_code == 403
    assert body(response)[0]["code"] == 403
