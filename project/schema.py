"""What the OpenAPI schema says about errors, so that it matches what the API answers.

`document_errors` (a drf-spectacular post-processing hook) adds the shared error body
`{"errors": {field: [messages]}}` and the 4xx answers every operation can give: 400 for bad
parameters or bodies, 401 wherever an authenticator runs (no credentials where some are needed,
or wrong ones: the API-key authenticator comes first, so DRF answers 401 with
`WWW-Authenticate: Token` rather than 403), 403 without permission, 404 for an unknown path
parameter, 413/415 for a body too large or of another media type; 404 also for a list's page
past the last.
Throttled views add 429 themselves (`THROTTLED`).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_gis import GeoFeatureModelSerializerExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request

TOKEN_HEADER = "X-Tracking-Token"

# A field's messages are a list of strings; a nested field's (a list of issues, say) are keyed by
# its own fields or by the item's index, to any depth.
FIELD_ERRORS_SCHEMA = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"}},
    ],
}
ERRORS_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"},
            "description": "messages per field (nested fields by name or item index); `detail` "
            "for the request as a whole",
        },
    },
    "required": ["errors"],
}
_REF = {"$ref": "#/components/schemas/Errors"}

THROTTLED = {429: OpenApiResponse(description="too many requests; retry after `Retry-After` seconds")}

_DESCRIPTIONS = {
    "400": "invalid input; the fields are named in `errors`",
    "401": "no credentials where some are needed, or a wrong `Authorization: Token` key",
    "403": "not signed in, or not allowed",
    "404": "not found",
    "413": "request body too large",
    "415": "unsupported media type",
    "429": "too many requests; retry after `Retry-After` seconds",
}


def document_errors(result: dict, generator, request, public) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Errors"], schemas["FieldErrors"] = ERRORS_SCHEMA, FIELD_ERRORS_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["400", "403"]
            if any(operation.get("security", [])):  # some authenticator runs: it can refuse
                codes.insert(1, "401")
            parameters = {p.get("name") for p in operation.get("parameters", [])}
            if "{" in path or "page" in parameters:  # a page past the last is 404
                codes.append("404")
            if "requestBody" in operation:
                codes += ["413", "415"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": _DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith("4") and code in _DESCRIPTIONS | {"409": ""}:
                    response.setdefault("content", {"application/json": {"schema": _REF}})
    return result


class GeoFeatureSerializerExtension(GeoFeatureModelSerializerExtension):
    """drf-spectacular's GeoJSON Feature, with `geometry` nullable where the model field is.

    Its own takes no notice of `null=True`, yet a case without a location is a Feature with
    `"geometry": null` (which GeoJSON allows); the schema says so."""

    priority = 1  # chosen over drf-spectacular's

    def map_serializer(self, auto_schema, direction):
        schema = super().map_serializer(auto_schema, direction)
        meta = self.target.Meta
        geometry = schema["properties"].get("geometry")
        if geometry and meta.model._meta.get_field(meta.geo_field).null:
            schema["properties"]["geometry"] = {**geometry, "nullable": True}
        return schema


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with anonymous access stated wherever the view's permissions allow it.

    drf-spectacular marks an operation public only for AllowAny and the stock read-only classes;
    asking the view's own permission classes about an anonymous request covers ours too
    (e.g. the catalogue's IsStaffOrReadOnly), so the schema does not claim a login is needed.
    """

    def get_auth(self):
        auth = super().get_auth()
        if {} not in auth and self._anonymous_allowed():
            auth.append({})
        return auth

    def _anonymous_allowed(self) -> bool:
        request = Request(RequestFactory().generic(self.method, self.path))
        request.user = AnonymousUser()
        try:
            return all(p.has_permission(request, self.view) for p in self.view.get_permissions())
        except Exception:  # a permission that needs more than the request: assume not
            return False
