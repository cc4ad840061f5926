"""The floor the benchmarks compare the project with: bare WSGI apps doing only what the database
and the response need, served by `bench.serve.gunicorn(..., app="bench.floor:application")`
exactly as the project is (nginx in front of gunicorn, same workers).

- `GET /api/facilities/nearest/?lat=&lon=&limit=`: the project's own nearest SQL and pool rule
  (`stations.nearest.query_params` / `fetch`, imported, not copied) over one psycopg2 connection
  per worker, the project's own FeatureCollection builder, `json.dumps`.
- `POST /api/cases/`: the same prepared routing and INSERT statements the project's intake runs
  (`cases.intake.submit`), see `intake` below.
- `GET /api/ping/`: a constant JSON body.

No middleware, no framework, no validation beyond float()/int(), no health check, no logging:
what is left is the server, the SQL and the JSON. Not part of the service.
"""

from __future__ import annotations

import functools
import json
import os
from urllib.parse import parse_qs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from stations.hours import minute_of_week  # noqa: E402
from stations.nearest import fetch, query_params  # noqa: E402
from stations.serializers import nearest_feature_collection  # noqa: E402

_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        db = settings.DATABASES["default"]
        _connection = psycopg2.connect(
            dbname=db["NAME"], user=db["USER"] or None, password=db["PASSWORD"] or None,
            host=db["HOST"] or None, port=db["PORT"] or None,
            options=db["OPTIONS"].get("options"),
        )
        _connection.autocommit = True
    return _connection.cursor()


def _json(start_response, status: str, body: object):
    data = json.dumps(body, ensure_ascii=False).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))])
    return [data]


def nearest(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        lat, lon = float(query["lat"][0]), float(query["lon"][0])
        limit = int(query.get("limit", ["5"])[0])
    except (KeyError, ValueError):
        return _json(start_response, "400 Bad Request", {"errors": {"lat": ["bad"]}})
    params = query_params(lon, lat, limit, minute=minute_of_week(timezone.now()))
    with _cursor() as cursor:
        rows = fetch(cursor, params)
    return _json(start_response, "200 OK", nearest_feature_collection(rows))


@functools.cache
def _area(adcode: str):
    from stations.models import Area

    return Area.objects.defer("boundary").get(adcode=adcode)


def intake(environ, start_response):
    """The domain call the project's intake view makes (`cases.intake.submit`: the prepared
    routing statement and the prepared INSERT of the case and its events, on Django's
    connection, which those statements need), without DRF, middleware, serializers, throttles."""
    from django.contrib.gis.geos import Point

    from cases.intake import submit

    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.loads(environ["wsgi.input"].read(length))
    from stations.coords import to_wgs84

    point = None
    if body.get("lat") is not None:
        lon, lat = float(body["lon"]), float(body["lat"])
        if body.get("crs") in ("gcj02", "bd09"):
            lon, lat = to_wgs84(lon, lat, body["crs"])
        point = Point(lon, lat, srid=4326)
    # A named district instead of a point (the project's serializer looks the adcode up too).
    area = _area(body["area"]) if body.get("area") else None
    case, _ = submit(category=body["category"], description=body["description"],
                     channel=body.get("channel", "online"), point=point, area=area,
                     location_source=body.get("crs", "gps") if point is not None else "",
                     reporter_phone=body.get("reporter_phone", ""),
                     client_token=body.get("client_token"))
    return _json(start_response, "201 Created",
                 {"reference": case.reference, "tracking_token": case.tracking_token})


ROUTES = {
    ("GET", "/api/facilities/nearest/"): nearest,
    ("POST", "/api/cases/"): intake,
    ("GET", "/api/ping/"): lambda environ, start_response: _json(
        start_response, "200 OK", {"status": "ok"}),
}


def application(environ, start_response):
    handler = ROUTES.get((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
    if handler is None:
        return _json(start_response, "404 Not Found", {"errors": {"detail": ["no route"]}})
    return handler(environ, start_response)
