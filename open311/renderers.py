"""GeoReport v2's two formats, chosen by the path's suffix, and its error shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

# The element a list's items get in XML, by the list's own element (GeoReport's names).
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class GeoReportJSONRenderer(JSONRenderer):
    format = "json"


class GeoReportXMLRenderer(BaseRenderer):
    """Data to XML with ElementTree: a dict's keys become elements, a list's items get the
    singular name, booleans are `true`/`false`, None an empty element. The view names the root
    (`xml_root`); an error response is always `<errors>`."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type=None, renderer_context=None) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and getattr(response, "exception", False):
            root = "errors"
        else:
            root = getattr(context.get("view"), "xml_root", "response")
        return ET.tostring(_element(root, data), encoding="utf-8", xml_declaration=True)


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list | tuple):
        item = XML_ITEMS.get(tag, "item")
        for child in value:
            element.append(_element(item, child))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


class FormatSuffixNegotiation(BaseContentNegotiation):
    """The format is the path's `.json` or `.xml`, whatever the Accept header says: 311 clients
    send all sorts of Accept headers and expect the suffix to decide."""

    def select_parser(self, request, parsers):
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        for renderer in renderers:
            if renderer.format == format_suffix:
                return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type


def georeport_errors(exc, context) -> Response | None:
    """Every error as GeoReport's list of `{"code", "description"}`, one per problem; a bad
    field's description starts with the field's name."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    response.data = [
        {"code": code, "description": description} for description in _descriptions(detail)
    ] or [{"code": code, "description": str(detail)}]
    return response


def _descriptions(detail: Any, field: str = "") -> list[str]:
    if isinstance(detail, dict):
        found = []
        for name, inner in detail.items():
            prefix = "" if name in ("non_field_errors", "detail") else name
            found += _descriptions(inner, f"{field}.{prefix}" if field and prefix else field or prefix)
        return found
    if isinstance(detail, list):
        return [d for inner in detail for d in _descriptions(inner, field)]
    return [f"{field}: {detail}" if field else str(detail)]
