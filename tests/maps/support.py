"""Geometry for building gap-analysis data in code: grid cells and metric offsets."""

from __future__ import annotations

import math
from datetime import datetime

from django.contrib.gis.geos import Point
from django.db import connection

from cases.models import SHORTAGE_CATEGORY_FOR_KIND
from stations.models import EQUAL_AREA_SRID
from tests.factories import make_case

# WGS84
_A, _E2 = 6378137.0, 6.69437999014e-3


def offset(lon: float, lat: float, east_m: float = 0.0, north_m: float = 0.0) -> tuple[float, float]:
    """The point `east_m` east and `north_m` north of (lon, lat), using the ellipsoid's radii of
    curvature there (good to ~1e-4 of the distance for a few km)."""
    phi = math.radians(lat)
    w = math.sqrt(1 - _E2 * math.sin(phi) ** 2)
    meridional = _A * (1 - _E2) / w**3
    prime_vertical = _A / w
    return (
        lon + math.degrees(east_m / (prime_vertical * math.cos(phi))),
        lat + math.degrees(north_m / meridional),
    )


def cell_of(lon: float, lat: float, cell: int) -> tuple[int, int]:
    """The (i, j) key of the equal-area grid cell holding a WGS84 point."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT floor(ST_X(p) / %s)::int, floor(ST_Y(p) / %s)::int FROM "
            "(SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s) AS p) t",
            [cell, cell, lon, lat, EQUAL_AREA_SRID],
        )
        return cursor.fetchone()


def centre_of(i: int, j: int, cell: int) -> tuple[float, float]:
    """WGS84 (lon, lat) of the centre of cell (i, j)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint("
            "(%s + 0.5) * %s, (%s + 0.5) * %s), %s), 4326) AS p) t",
            [i, cell, j, cell, EQUAL_AREA_SRID],
        )
        return cursor.fetchone()


def cases_at(lon: float, lat: float, count: int, category: str, *,
             created_at: datetime | None = None, area=None) -> None:
    for _ in range(count):
        make_case(category=category, location=Point(lon, lat, srid=4326),
                  created_at=created_at, area=area)


def shortage(kind: str) -> str:
    return SHORTAGE_CATEGORY_FOR_KIND[kind]
