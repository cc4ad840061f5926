"""One error shape for the API: {"errors": {field: [messages]}} with the right 4xx.

Database outages are not handled here but in project.middleware, for pages and API alike.
Django's own 404/500 answers (an unknown URL, an unexpected error) keep this shape on /api/
paths too (`not_found`, `server_error`, wired in project/urls.py).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework.views import exception_handler as drf_exception_handler

NUL_MESSAGE = _("must not contain a NUL character")
API_PREFIX = "/api/"


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"errors": {"detail": [str(data["detail"])]}}
    elif isinstance(data, dict) and "errors" not in data:
        response.data = {"errors": data}
    elif isinstance(data, list):
        response.data = {"errors": {"non_field_errors": data}}
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(status: int, field: str, message: str, **headers: str) -> JsonResponse:
    return JsonResponse({"errors": {field: [str(message)]}}, status=status, headers=headers or None)


def body_too_large() -> JsonResponse:
    from django.conf import settings

    return error_response(
        413, "body", _("the request body is larger than %(limit)d bytes")
        % {"limit": settings.MAX_BODY_BYTES},
    )


def not_found(request: HttpRequest, exception: Exception):
    if is_api(request):
        return error_response(404, "detail", _("no such API path"))
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception):
    if is_api(request):
        return error_response(400, "detail", _("bad request"))
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest):
    if is_api(request):
        return error_response(500, "detail", _("server error; it has been logged"))
    return defaults.server_error(request)
