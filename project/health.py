from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness and database readiness for load balancers and timers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            (version,) = cursor.fetchone()
    except DatabaseError as exc:
        # A dead connection must not poison the next request on this worker.
        connection.close_if_unusable_or_obsolete()
        return JsonResponse(
            {"database": "unavailable", "error": str(exc).strip().splitlines()[0] if str(exc) else ""},
            status=503,
        )
    return JsonResponse({"database": "ok", "postgis": version})


@never_cache
@require_GET
def ping(request):
    """Touches no database: the baseline the HTTP benchmarks measure the API against."""
    return JsonResponse({"pong": True})
