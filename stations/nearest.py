"""Exact k-nearest facilities in metres, using the GiST index on the SRID 4326 geometry column.

Why not the obvious recipes (measured on 1M rows, see docs/performance-nearest.md):
- `annotate(d=Distance(...)).order_by("d")` computes a distance for every row: a full scan.
- `order_by(GeometryDistance(...))` (`location <-> pt`) walks the index but ranks by *degrees*,
  and a degree of longitude is shorter than a degree of latitude away from the equator, so an
  eastern neighbour can be ranked after a farther northern one (recall@5 0.91 at 40°N).

What this module does, in one SQL statement per attempt (`_NEAREST_SQL`):
1. candidates: the `pool` matching rows nearest in degrees (`ORDER BY location <-> pt LIMIT
   pool`, an index-ordered KNN scan with the filters applied as it walks; with a radius, also
   `location && box` so the same scan stops at the box edge);
2. re-rank those candidates by ellipsoidal distance (`ST_Distance(geography)`, the WGS84
   geodesic), keep the first k, and report how far in degrees the candidates reached;
3. accept the answer only if no row outside the pool can be nearer in metres than the k-th answer
   (or than the radius). Otherwise grow the pool four-fold and ask again.

Step 3 is what makes the result exact rather than usually right. Every row left out of the pool
is at least `reach` degrees away in the (lon, lat) plane. On the ellipsoid a path element is
    ds² = M(φ)² dφ² + (N(φ) cos φ)² dλ²  ≥  min(M, N cos φ)² (dφ² + dλ²)
(M, N: the meridional and prime-vertical radii of curvature, angles in radians), so a path that
stays within a latitude band is at least `floor(band) × reach` metres long, where `floor` is the
smallest of M and N cos φ over the band. A geodesic shorter than T metres cannot leave the band
φ ± T / M_min, because moving dφ in latitude alone costs at least M_min dφ. Hence if
`floor(φ ± T / M_min) × reach ≥ T`, no row outside the pool is within T metres. T is the k-th
distance found, or the radius when fewer than k rows lie within it.

Why hand-written SQL and not the ORM: compiling the equivalent queryset (filters, window
aggregates, a subquery) cost the ORM about twice as long as PostgreSQL took to run it, and this is
the hottest query of the service. The filters are therefore arguments, folded by the planner when
unused (`NULL IS NULL OR ...`); they mirror `FacilityQuerySet.open_at` / `.with_amenities` and
the tests check them against those querysets.

Caveats, written down rather than handled: the (lon, lat) plane does not wrap at ±180°, so a
query within `radius` of the antimeridian could miss rows on the other side (nothing in China
is); near the poles the floor tends to zero, so the pool grows until the matching rows are
exhausted, which is still exact, only slower.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models.functions import GeoFunc
from django.contrib.gis.geos import Point
from django.db import connections
from django.db.models import FloatField

from stations.hours import minute_of_week
from stations.models import IN_SERVICE_STATUSES

# WGS84 ellipsoid.
_A = 6378137.0
_E2 = 6.69437999014e-3
# Smallest meridional radius of curvature (at the equator): bounds how far a path of a given
# length can move in latitude.
_M_MIN = _A * (1 - _E2)
# Absorbs floating-point error in the bound and in PostGIS's distance; costs nothing measurable.
_SAFETY = 0.999

# First pool: a metric disc is an ellipse in degrees, stretched east-west by 1 / cos φ, so about
# k / cos φ candidates are needed on average. Measured on the benchmark's 1M rows (the smallest
# pool that passes the bound, 300 query points from 22°N to 53°N): k=5 p99 12, max 12; k=20
# p99 39, max 50; k=50 p99 91, max 184. 1.5 k / cos φ + 8 gives 18, 48 and 106 at 40°N (21, 58
# and 133 at 53°N): a second attempt is rare, and each candidate costs PostgreSQL about 15 µs (a
# geodesic distance and a wider row), so a generous fixed pool would cost more than the
# occasional retry. Each retry quadruples the pool.
POOL_STRETCH = 1.5
POOL_MARGIN = 8
POOL_GROWTH = 4

# Columns of each result row: what a rider's app shows, ready for JSON (text for decimals and
# dates, as DRF renders them), so the API turns rows into GeoJSON without per-field work.
_PT = "ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)"
_NEAREST_SQL = f"""
SELECT -- window aggregates see every candidate before ORDER BY ... LIMIT keeps k of them
       max(knn_deg) OVER () AS knn_reach_deg,
       count(*) OVER () AS knn_pool_rows,
       id, kind, name, address, phone, status, opening_hours, amenities,
       seats, meal_price_min::text, meal_price_max::text, sockets, battery_swap,
       charging_price::text, last_verified::text,
       ST_X(location) AS lon, ST_Y(location) AS lat,
       ST_Distance(location::geography, {_PT}::geography) AS distance_m,
       -- same rule as FacilityQuerySet.open_at
       (status = 'open' AND (open_24h OR open_minutes @> %(now_minute)s)) AS is_open_now
FROM (
    SELECT *, location <-> {_PT} AS knn_deg
    FROM stations_facility
    WHERE status = ANY(%(statuses)s::text[])
      AND (%(kind)s::text IS NULL OR kind = %(kind)s)
      AND (cardinality(%(amenities)s::text[]) = 0
           OR amenities @> %(amenities)s::varchar(32)[])
      AND (%(open_minute)s::int IS NULL
           OR (status = 'open' AND (open_24h OR open_minutes @> %(open_minute)s::int)))
      AND (%(west)s::float8 IS NULL
           OR location && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
    ORDER BY location <-> {_PT}
    LIMIT %(pool)s
) AS candidates
ORDER BY distance_m, id
LIMIT %(k)s
"""


class GeodesicDistance(GeoFunc):
    """Metres between two 4326 geometries on the WGS84 ellipsoid, for querysets:
    `ST_Distance(a::geography, b::geography)` (PostGIS uses Karney's geodesic algorithm).

    The same measure `nearest()` ranks by; the tests and the benchmark rank whole tables with it
    as the brute-force reference. Never put it in a WHERE or ORDER BY over a large table.
    """

    output_field = FloatField()
    arity = 2
    function = "ST_Distance"
    geom_param_pos = (0, 1)
    arg_joiner = "::geography, "
    template = "%(function)s(%(expressions)s::geography)"


def _metres_per_radian_floor(lat_lo: float, lat_hi: float) -> float:
    """min(M(φ), N(φ) cos φ) over latitudes [lat_lo, lat_hi] (degrees), in metres per radian."""
    lat_lo, lat_hi = max(lat_lo, -90.0), min(lat_hi, 90.0)
    # M grows with |φ|: smallest at the band's latitude nearest the equator.
    nearest_equator = 0.0 if lat_lo <= 0.0 <= lat_hi else min(abs(lat_lo), abs(lat_hi))
    s = math.sin(math.radians(nearest_equator))
    m = _A * (1 - _E2) / (1 - _E2 * s * s) ** 1.5
    # N cos φ shrinks with |φ|: smallest at the band's most poleward latitude.
    poleward = math.radians(max(abs(lat_lo), abs(lat_hi)))
    s = math.sin(poleward)
    n_cos = _A * math.cos(poleward) / math.sqrt(1 - _E2 * s * s)
    return max(0.0, min(m, n_cos))


def _band(lat: float, metres: float) -> tuple[float, float]:
    """Latitudes (degrees) a path of `metres` starting at `lat` can reach."""
    spread = math.degrees(metres / _M_MIN)
    return lat - spread, lat + spread


def unfetched_floor_m(lat: float, reach_deg: float, horizon_m: float) -> float:
    """A lower bound, in metres, on the geodesic distance from a point at `lat` to any point at
    least `reach_deg` away in the (lon, lat) plane; valid for distances up to `horizon_m`."""
    return _SAFETY * _metres_per_radian_floor(*_band(lat, horizon_m)) * math.radians(reach_deg)


def search_box(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) holding every point within `radius_m` metres of
    (lon, lat), with a 1 % margin."""
    lat_lo, lat_hi = _band(lat, radius_m * 1.01)
    floor = _metres_per_radian_floor(lat_lo, lat_hi)
    dlon = 180.0 if floor <= 0 else min(180.0, math.degrees(radius_m * 1.01 / floor))
    return lon - dlon, max(-90.0, lat_lo), lon + dlon, min(90.0, lat_hi)


def first_pool(k: int, lat: float) -> int:
    stretch = 1 / max(math.cos(math.radians(min(abs(lat), 85.0))), 0.05)
    return max(k, math.ceil(POOL_STRETCH * k * stretch) + POOL_MARGIN)


def nearest(
    point: Point | tuple[float, float],
    k: int = 5,
    radius: float | None = None,
    *,
    kind: str | None = None,
    amenities: Iterable[str] = (),
    open_only: bool = False,
    at: datetime | None = None,
    statuses: Iterable[str] = IN_SERVICE_STATUSES,
    using: str = "default",
) -> list[dict[str, Any]]:
    """The k facilities nearest to `point` (WGS84: a GEOS point or (lon, lat)) on the ellipsoid,
    nearest first; only those within `radius` metres if given, of `kind`, offering all
    `amenities`, in `statuses`, and open at `at` if `open_only`. Exact: see the module docstring.

    Rows are dicts (like `.values()`) with the rider-facing columns, `lon`, `lat`, `distance_m`
    and `is_open_now` (at `at`, default now). One SQL statement per attempt; usually one.
    """
    from django.utils import timezone

    if k < 1:
        raise ValueError("k must be at least 1")
    # Plain coordinates are accepted because making a GEOS point per search was measurable on
    # the hottest request (docs/performance-nearest.md); only x and y are used.
    lon, lat = (point.x, point.y) if isinstance(point, Point) else point
    params = query_params(
        float(lon), float(lat), k, radius, kind=kind, amenities=amenities,
        open_only=open_only, minute=minute_of_week(at or timezone.now()), statuses=statuses,
    )
    with connections[using].cursor() as cursor:
        return fetch(cursor, params, radius)


def query_params(
    lon: float, lat: float, k: int, radius: float | None = None, *, kind: str | None = None,
    amenities: Iterable[str] = (), open_only: bool = False, minute: int,
    statuses: Iterable[str] = IN_SERVICE_STATUSES,
) -> dict[str, Any]:
    """The arguments of `_NEAREST_SQL` but the pool (`fetch` sizes it)."""
    box = search_box(lon, lat, radius) if radius is not None else (None,) * 4
    return {
        "lon": lon, "lat": lat, "k": k, "kind": kind or None,
        **dict(zip(("west", "south", "east", "north"), box, strict=True)),
        "amenities": sorted(set(amenities)), "statuses": list(statuses),
        "now_minute": minute, "open_minute": minute if open_only else None,
    }


def fetch(cursor: Any, params: dict[str, Any], radius: float | None = None) -> list[dict[str, Any]]:
    """Run `_NEAREST_SQL` on a DB-API cursor (Django's or a bare psycopg2 one: the benchmark's
    floor app calls this too), growing the pool until the answer is proven exact."""
    lat, k = params["lat"], params["k"]
    pool = first_pool(k, lat)
    while True:
        cursor.execute(_NEAREST_SQL, {**params, "pool": pool})
        names = [column.name for column in cursor.description][2:]
        fetched = cursor.fetchall()
        reach, pool_rows = fetched[0][:2] if fetched else (0.0, 0)
        rows = [dict(zip(names, values[2:], strict=True)) for values in fetched]
        found = rows if radius is None else [r for r in rows if r["distance_m"] <= radius]
        if pool_rows < pool:
            return found  # every matching row was a candidate: the ranking is complete
        # A full pool: exact if nothing beyond it can beat the k-th answer (or the radius).
        # Without a radius a full pool always gives k rows, so `horizon` is never None.
        horizon = found[-1]["distance_m"] if len(found) == k else radius
        if unfetched_floor_m(lat, reach, horizon) >= horizon:
            return found
        pool *= POOL_GROWTH
