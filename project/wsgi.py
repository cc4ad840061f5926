"""The WSGI application: Django, with a shorter middleware chain for anonymous public API reads.

Public API reads (`PUBLIC_API_READ_PATHS`, GET or HEAD, no session cookie) are handled by a
second Django handler that leaves out the middleware with nothing to do for them
(`PUBLIC_API_READ_SKIPPED_MIDDLEWARE`: sessions, authentication, messages, CSRF, static files,
the login lockout). Everything that shapes their answers stays: the request guard, the replica
router's marking, security headers, CSP, Permissions-Policy, the language of error messages, the
host check, the 503 on a lost database. Only views that never read the session belong on those
paths (today the nearest search): their answers, headers included, are the full chain's
(tests/test_public_read_lane.py). A request with a session cookie takes the full chain anyway.
Measured under load on the nearest search in docs/performance-nearest.md. In front of both,
`stations.fastlane` answers the plainest nearest searches itself.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after get_wsgi_application's setup)


class PublicReadHandler(WSGIHandler):
    """Django's handler with `PUBLIC_API_READ_SKIPPED_MIDDLEWARE` left out of the chain."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        # BaseHandler.load_middleware reads the setting; this handler's chain is built once.
        settings.MIDDLEWARE = [m for m in full if m not in settings.PUBLIC_API_READ_SKIPPED_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


public_read_application = PublicReadHandler()
_PATHS = tuple(settings.PUBLIC_API_READ_PATHS)
_SESSION_COOKIE = settings.SESSION_COOKIE_NAME + "="


def is_anonymous_public_read(environ: dict) -> bool:
    return (
        environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and environ.get("PATH_INFO", "").startswith(_PATHS)
        and _SESSION_COOKIE not in environ.get("HTTP_COOKIE", "")
    )


def django_chains(environ, start_response):
    if is_anonymous_public_read(environ):
        return public_read_application(environ, start_response)
    return django_application(environ, start_response)


# In front of both: plainly valid anonymous nearest searches, answered with Django's own headers
# without its request cycle (stations/fastlane.py).
from stations.fastlane import NearestFastLane  # noqa: E402

application = NearestFastLane(django_chains)
