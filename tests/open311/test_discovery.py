"""discovery.json / discovery.xml: where the endpoint is and which formats it speaks."""

import pytest

from .helpers import body, url


def test_it_describes_the_endpoint_in_json(client, db):
    response = client.get(url("discovery", "json"))

    assert response.status_code == 200
    found = body(response)
    (endpoint,) = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert found["changeset"] and found["contact"]


def test_it_describes_the_endpoint_in_xml(client, db):
    root = body(client.get(url("discovery", "xml")))

    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["application/json", "text/xml"]


@pytest.mark.parametrize("path", ["/open311/v2/discovery", "/open311/v2/discovery.yaml"])
def test_a_path_without_a_known_suffix_is_not_found(client, db, path):
    assert client.get(path).status_code == 404
