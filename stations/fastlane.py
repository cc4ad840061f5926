"""The nearest search's fast lane: plainly valid anonymous searches answered at the WSGI layer.

Profiled under load (docs/performance-nearest.md), Django's request cycle around the search (the
request object, the middleware chain, URL resolution, the view, the response object) cost more
CPU than the search itself. For the one request riders send most this lane answers with the same
query and the same bytes without that cycle:

- The parameters are read by `plain_nearest_query` (the serializer's rules; anything it does not
  plainly accept, Django answers, with its errors in the reader's language).
- The response headers are the ones Django's own chain sent for the first such request with the
  same header key (host, scheme, forwarded scheme, Accept-Language, language cookie): that request
  goes through Django, its 200 headers are kept, and later ones reuse them. The middleware's
  headers (security, CSP, Permissions-Policy, language, Vary) depend on nothing else for these
  requests, so they are Django's by construction; tests/facilities/test_nearest_fast_lane.py
  compares the two answers.
- Anything that is not plainly an anonymous JSON search goes to Django: other paths and methods,
  cookies of a session or of a client that just wrote (read-your-writes), a NUL byte, an
  Accept that is not JSON, a database error (Django then answers: a new connection, or a 503).
- Database connections are looked after as Django's request signals do (`close_old_connections`
  before and after), reads go where the replica router sends public reads, and the per-request
  health check is skipped as on the other public reads (a broken connection sends the request
  to Django, which reconnects).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections, router
from django.utils import timezone

from project import replicas
from stations.models import Facility
from stations.nearest import nearest
from stations.serializers import nearest_feature_collection, plain_nearest_query

PATH = "/api/facilities/nearest/"
_HEADER_KEYS = 256


class NearestFastLane:
    """WSGI middleware in front of Django's application (`project.wsgi`)."""

    def __init__(self, django_app: Callable) -> None:
        self.django_app = django_app
        self.headers: OrderedDict[tuple, list[tuple[str, str]]] = OrderedDict()
        self.served = 0  # answered here (the tests read it)
        self._blocked = (settings.SESSION_COOKIE_NAME + "=", replicas.PIN_COOKIE + "=")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        params = self._plain_search(environ)
        if params is None:
            return self.django_app(environ, start_response)
        key = self._header_key(environ)
        headers = self.headers.get(key)
        if headers is None:
            return self._through_django(environ, start_response, key)
        body = self._search(params)
        if body is None:
            return self.django_app(environ, start_response)
        self.served += 1
        start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _plain_search(self, environ: dict) -> dict | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != PATH:
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if cookies and any(name in cookies for name in self._blocked):
            return None
        query = environ.get("QUERY_STRING", "")
        accept = environ.get("HTTP_ACCEPT", "*/*")
        if ("%00" in query or "\x00" in query
                or not ("*/*" in accept or "application/json" in accept
                        or "application/*" in accept)):
            return None
        values: dict[str, list[str]] = {}
        # As Django's QueryDict reads a query string.
        for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8",
                                     errors="replace"):
            values.setdefault(name, []).append(value)
        return plain_nearest_query(values)

    @staticmethod
    def _header_key(environ: dict) -> tuple:
        cookie = environ.get("HTTP_COOKIE", "")
        language_cookie = settings.LANGUAGE_COOKIE_NAME + "="
        return (environ.get("HTTP_HOST"), environ.get("SERVER_NAME"), environ.get("SERVER_PORT"),
                environ.get("wsgi.url_scheme"), environ.get("HTTP_X_FORWARDED_PROTO"),
                environ.get("HTTP_X_FORWARDED_HOST"), environ.get("HTTP_ACCEPT_LANGUAGE"),
                cookie if language_cookie in cookie else None)

    def _through_django(self, environ: dict, start_response: Callable, key: tuple):
        def keep(status: str, headers: list[tuple[str, str]], exc_info=None):
            names = {name.lower() for name, _ in headers}
            if status.startswith("200 ") and "set-cookie" not in names:
                self.headers[key] = [(n, v) for n, v in headers if n.lower() != "content-length"]
                while len(self.headers) > _HEADER_KEYS:
                    self.headers.popitem(last=False)
            return start_response(status, headers, exc_info)

        return self.django_app(environ, keep)

    @staticmethod
    def _search(params: dict) -> bytes | None:
        """The response body, or None after a database error (Django answers instead)."""
        close_old_connections()  # what Django's request_started signal does
        token = replicas.mark(True)
        try:
            primary = connections[replicas.primary()]
            if primary.connection is not None and not primary.in_atomic_block:
                primary.health_check_done = True  # as DatabaseUnavailableMiddleware does
            rows = nearest(
                params["point"], params["limit"], params.get("radius"),
                kind=params.get("kind"), amenities=params.get("amenity", ()),
                open_only=params["open_now"], at=timezone.now(),
                using=router.db_for_read(Facility),
            )
        except DatabaseError:
            for connection in connections.all(initialized_only=True):
                connection.close_if_unusable_or_obsolete()
            replicas.retry_elsewhere()
            return None
        finally:
            replicas.unmark(token)
            close_old_connections()  # and its request_finished signal
        # JSONRenderer's bytes: compact, UTF-8, no NaN.
        return json.dumps(nearest_feature_collection(rows), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode()
