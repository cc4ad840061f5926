"""Every GeoReport method in both formats, over a real socket with the standard library's HTTP
client, as a third-party 311 client would call it; XML read by a real XML parser."""

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from .helpers import A_POINT


def _call(base: str, path: str, form: dict | None = None) -> tuple[int, str, bytes]:
    data = urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(base + "/open311/v2/" + path, data=data)
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Accept-Language", "en")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_method_over_http(live_server, transactional_db, tree, keys, fmt):
    base = live_server.url

    def call(path, form=None, expect=200):
        status, content_type, raw = _call(base, f"{path}.{fmt}" if "?" not in path else path, form)
        assert status == expect, raw
        if fmt == "json":
            assert content_type.startswith("application/json")
            return json.loads(raw)
        assert content_type.startswith("text/xml")
        return ET.fromstring(raw)

    def text(found, path):
        return found[0][path] if fmt == "json" else found.findtext(f"request/{path}")

    discovery = call("discovery")
    assert (discovery["endpoints"][0]["specification"] if fmt == "json"
            else discovery.findtext("endpoints/endpoint/specification")).endswith("GeoReport_v2")

    services = call("services")
    codes = ([s["service_code"] for s in services] if fmt == "json"
             else [s.findtext("service_code") for s in services])
    assert "facility_problem" in codes and "wage_arrears" in codes

    definition = call("services/facility_problem")
    assert (definition["attributes"][0]["code"] if fmt == "json"
            else definition.findtext("attributes/attribute/code")) == "facility"

    receipt = call("requests", {
        "api_key": keys.none, "jurisdiction_id": "", "service_code": "station_shortage",
        "description": "这里没有驿站", **A_POINT,
    }, expect=201)
    reference, token = text(receipt, "service_request_id"), text(receipt, "token")
    assert reference and token

    listed = call("requests")
    assert text(listed, "service_request_id") == reference
    one = call(f"requests/{reference}")
    assert text(one, "status") == "open" and text(one, "agency_responsible") == tree.a.union.name
    assert text(call(f"tokens/{token}"), "service_request_id") == reference

    errors = call(f"requests.{fmt}?" + urlencode({"status": "maybe"}), expect=400)
    assert (errors[0]["code"] if fmt == "json" else int(errors.findtext("error/code"))) == 400
