import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database readiness for load balancers and timers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            (version,) = cursor.fetchone()
    except DatabaseError:
        # A dead connection must not poison the next request on this worker. The driver's
        # message (host names, users) goes to the log, not to whoever asks.
        logger.exception("healthz: database unavailable")
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok", "postgis": version})


class PingView(APIView):
    """Touches no database: the baseline the HTTP benchmarks measure API endpoints against.

    A DRF view like the endpoints it is compared with (FIELD-NOTES measured the same kind of
    baseline), so a ratio to it isolates an endpoint's own work: its queries and serialisation.
    """

    permission_classes = [AllowAny]

    @extend_schema(responses={200: {"type": "object", "properties": {"pong": {"type": "boolean"}}}})
    def get(self, request):
        return Response({"pong": True})
