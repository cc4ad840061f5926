"""Where demo things stand: random points inside real district boundaries, drawn by PostGIS.

ST_GeneratePoints(region, n, seed) samples uniformly inside a polygon and is deterministic for a
seed, so the demo is reproducible and every point is inside its district by construction (no
rejection loop over geometry in Python). A region is the district's boundary, optionally cut to a
disc or a ring around a point, or with a disc cut out; discs are buffers on the geography, so
their radii are metres on the ground.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from demo.spec import CORE_MIX, URBAN_CORES, LonLat

_DISC = "ST_Buffer(ST_Point(%s, %s, 4326)::geography, %s)::geometry"


@dataclass(frozen=True)
class Region:
    area_id: int
    near: LonLat | None = None
    within_m: float | None = None  # only within this distance of `near`
    beyond_m: float | None = None  # only beyond this distance of `near`
    avoid: tuple[LonLat, float] | None = None  # never within this distance of that point

    def sql(self) -> tuple[str, list[float]]:
        expr, params = "boundary", []
        if self.near and self.within_m:
            expr = f"ST_Intersection({expr}, {_DISC})"
            params += [*self.near, self.within_m]
        if self.near and self.beyond_m:
            expr = f"ST_Difference({expr}, {_DISC})"
            params += [*self.near, self.beyond_m]
        if self.avoid:
            (lon, lat), metres = self.avoid
            expr = f"ST_Difference({expr}, {_DISC})"
            params += [lon, lat, metres]
        # An intersection can leave slivers of lines or points; only the polygons can hold points.
        return f"ST_CollectionExtract({expr}, 3)", params


def sample_points(region: Region, n: int, seed: int) -> list[LonLat]:
    """n points inside the region (fewer only if the region is empty), in a seeded order."""
    if n <= 0:
        return []
    expr, params = region.sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT ST_X(d.geom), ST_Y(d.geom)
            FROM (SELECT {expr} AS geom FROM stations_area WHERE id = %s) r,
                 ST_Dump(ST_GeneratePoints(r.geom, %s, %s)) d
            ORDER BY d.path
            """,
            [*params, region.area_id, n, seed],
        )
        points = cursor.fetchall()
    # ST_GeneratePoints fills its grid cell by cell: shuffle so that "the first five" of a batch
    # (e.g. the ones open round the clock) are not all in one corner.
    random.Random(seed).shuffle(points)
    return points


def sample_around_core(
    area_id: int, core: LonLat, n: int, rng: random.Random, avoid: tuple[LonLat, float] | None = None
) -> list[LonLat]:
    """n points, dense around the urban core and thinning out (CORE_MIX), then uniform."""
    counts, left = [], n
    for share, _ in CORE_MIX:
        counts.append(round(n * share))
        left -= counts[-1]
    regions = [Region(area_id, near=core, within_m=metres, avoid=avoid) for _, metres in CORE_MIX]
    regions.append(Region(area_id, avoid=avoid))
    counts.append(left)
    points: list[LonLat] = []
    for region, count in zip(regions, counts, strict=True):
        points += sample_points(region, count, rng.randrange(1, 2**31))
    if len(points) < n:  # a disc that misses the district (an odd core): fill uniformly
        points += sample_points(Region(area_id, avoid=avoid), n - len(points), rng.randrange(1, 2**31))
    rng.shuffle(points)
    return points


def urban_cores(area_ids: Sequence[int]) -> dict[int, LonLat]:
    """Each district's urban core: the known ones from demo.spec, else a point on its surface."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id, adcode, ST_X(p), ST_Y(p)
            FROM stations_area, ST_PointOnSurface(boundary) p WHERE id = ANY(%s)
            """,
            [list(area_ids)],
        )
        return {
            area_id: URBAN_CORES.get(adcode, (lon, lat))
            for area_id, adcode, lon, lat in cursor.fetchall()
        }


def covered(area_id: int, points: Sequence[LonLat]) -> list[bool]:
    """Whether the area's boundary covers each point (one query)."""
    if not points:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_Covers(a.boundary, ST_Point(p.lon, p.lat, 4326))
            FROM stations_area a,
                 unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, i)
            WHERE a.id = %s ORDER BY p.i
            """,
            [[lon for lon, _ in points], [lat for _, lat in points], area_id],
        )
        return [row[0] for row in cursor.fetchall()]


def district_sizes(area_ids: Sequence[int]) -> dict[int, float]:
    """Area of each district in km² (on the ellipsoid)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_Area(boundary::geography) / 1e6 FROM stations_area WHERE id = ANY(%s)",
            [list(area_ids)],
        )
        return dict(cursor.fetchall())


def nearest_stations(area_id: int, points: Sequence[LonLat]) -> list[tuple | None]:
    """For each point, the nearest open rest station of the district: (id, lon, lat, name, address).

    One query for all the points. The inner KNN (`<->`, GiST) takes the 64 nearest facilities of
    any kind and only then filters: with the filters inside, the planner may prefer the
    (kind, status) b-tree and sort a whole district per point (35 ms against 0.3 ms, seen at
    city scale). Ranking by degrees is fine for "the station a worker walked into".
    """
    if not points:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT f.id, ST_X(f.location), ST_Y(f.location), f.name, f.address
            FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, i)
            LEFT JOIN LATERAL (
                SELECT * FROM (
                    SELECT id, location, name, address, area_id, kind, status,
                           location <-> ST_Point(p.lon, p.lat, 4326) AS distance
                    FROM stations_facility
                    ORDER BY location <-> ST_Point(p.lon, p.lat, 4326) LIMIT 64
                ) near
                WHERE area_id = %s AND kind = 'rest_station' AND status = 'open'
                ORDER BY distance LIMIT 1
            ) f ON true
            ORDER BY p.i
            """,
            [[lon for lon, _ in points], [lat for _, lat in points], area_id],
        )
        return [row if row[0] is not None else None for row in cursor.fetchall()]
