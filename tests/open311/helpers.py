"""Plain HTTP calls to /open311/v2/ as a 311 client makes them, and both formats read back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from django.urls import reverse

from cases.models import Category

A_POINT = {"lat": "1", "long": "101"}  # inside district A of the `tree` fixture
B_POINT = {"lat": "1", "long": "103"}  # inside district B


def url(name: str, fmt: str = "json", query: dict | None = None, **kwargs) -> str:
    path = reverse(f"open311:{name}", kwargs={"format": fmt, **kwargs})
    return f"{path}?{urlencode(query)}" if query else path


def post_form(client, data: dict, fmt: str = "json", query: dict | None = None, **headers):
    """POST application/x-www-form-urlencoded, as older 311 clients do."""
    return client.post(
        url("requests", fmt, query), urlencode(data),
        content_type="application/x-www-form-urlencoded", **headers,
    )


def submit(client, key: str, fmt: str = "json", **fields):
    data = {"api_key": key, "jurisdiction_id": "", "service_code": Category.STATION_SHORTAGE,
            "description": "这里没有驿站 no rest station here", **A_POINT}
    data.update(fields)
    return post_form(client, {k: v for k, v in data.items() if v is not None}, fmt)


def body(response):
    """The response parsed by its own format: JSON, or an XML element tree."""
    if response["Content-Type"].startswith("text/xml"):
        return ET.fromstring(response.content)
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def xml_records(root: ET.Element) -> list[dict[str, str]]:
    """`<root><item><field>text</field>...</item>...</root>` as a list of dicts of text."""
    return [{child.tag: child.text or "" for child in item} for item in root]
