from dataclasses import asdict

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.utils import translation
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
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request):
        problem = None
        if "\x00" in request.path:
            problem = "path"
        else:
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    problem = name.replace("\x00", "") or "query"
                    break
        too_large = is_api(request) and _content_length(request) > settings.MAX_BODY_BYTES
        if problem is None and not too_large:
            return None
        # Before LocaleMiddleware: answer in the reader's language all the same.
        with translation.override(translation.get_language_from_request(request)):
            return error_response(400, problem, NUL_MESSAGE) if problem else body_too_large()

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


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy of a plain response built once per process.

    django-csp builds the header text on every response (twice: the policy and the report-only
    one), the largest cost among the middleware of a JSON read under load. A response whose
    request never asked for a nonce and which carries no per-view policy change gets the same
    text every time; anything else goes through django-csp as before.
    """

    _PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                     "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")

    def __init__(self, get_response):
        super().__init__(get_response)
        self._plain: tuple[str, str] | None = None

    def process_response(self, request, response):
        if (getattr(request, "_csp_nonce", None) is not None
                or any(hasattr(response, name) for name in self._PER_RESPONSE)
                or (settings.DEBUG and response.status_code in (404, 500))
                or _excluded(request)):
            return super().process_response(request, response)
        if self._plain is None:
            self._plain = (
                build_policy(**asdict(self.get_policy_parts(request, response))),
                build_policy(**asdict(self.get_policy_parts(request, response, report_only=True)),
                             report_only=True),
            )
        for header, value in zip((HEADER, HEADER_REPORT_ONLY), self._plain, strict=True):
            if value and header not in response:
                response[header] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _excluded(request) -> bool:
    for setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
        if prefixes and request.path_info.startswith(tuple(prefixes)):
            return True
    return False
