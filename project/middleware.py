from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.utils.translation import gettext as _


class DatabaseUnavailableMiddleware:
    """A lost or unreachable database answers 503 with Retry-After on every route, never a 500.

    The broken connection is closed so that the worker reconnects on the next request instead of
    failing until it is restarted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        return JsonResponse(
            {"errors": {"database": [_("temporarily unavailable, retry shortly")]}},
            status=503,
            headers={"Retry-After": "5"},
        )
