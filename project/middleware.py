from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.utils.translation import gettext as _

from project import replicas
from project.errors import NUL_MESSAGE, body_too_large, error_response, is_api


class RequestGuardMiddleware:
    """Refuses, before any view or database sees them, two inputs that used to end in a 500.

    - A NUL byte in the path or a query parameter: PostgreSQL cannot store one in text, so
      every lookup with it raised. 400 naming the parameter (or `path`).
    - An API body larger than MAX_BODY_BYTES (declared by Content-Length; nginx enforces the
      same limit on the bytes actually sent): 413 in the API's JSON error shape. A body within
      it that is still over Django's in-memory limit is turned into the same 413 on API paths.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return error_response(400, "path", NUL_MESSAGE)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return error_response(400, name.replace("\x00", "") or "query", NUL_MESSAGE)
        if is_api(request) and _content_length(request) > settings.MAX_BODY_BYTES:
            return body_too_large()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig) and is_api(request):
            return body_too_large()
        return None


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class PermissionsPolicyMiddleware:
    """Sends `Permissions-Policy` (settings.PERMISSIONS_POLICY): browser features the pages
    do not use are switched off for them and for anything they might embed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A lost or unreachable database answers 503 with Retry-After on every route, never a 500.

    The broken connection is closed so that the worker reconnects on the next request instead of
    failing until it is restarted.

    Public reads (`project.replicas.is_public_read`) skip Django's per-request connection health
    check (`CONN_HEALTH_CHECKS`: a `SELECT 1` round trip before the first query of every
    request, the largest single cost of a nearest search after the search itself; see
    docs/performance-nearest.md) and pay for a broken connection only when there is one: the
    request is run once more, on a new connection (or, if it read from a replica, on the next
    replica or the primary). Safe methods only, so running a view twice changes nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas.is_public_read(request):
            return self.get_response(request)
        default = connections[replicas.primary()]
        if default.connection is not None and not default.in_atomic_block:
            default.health_check_done = True  # the check is the retry below, on failure only
        response = self.get_response(request)
        if getattr(response, "database_lost", False) and not default.in_atomic_block:
            replicas.retry_elsewhere()
            response = self.get_response(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        response = JsonResponse(
            {"errors": {"database": [_("temporarily unavailable, retry shortly")]}},
            status=503,
            headers={"Retry-After": "5"},
        )
        response.database_lost = True
        return response
