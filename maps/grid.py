"""Equal-area grid over the precomputed `location_ea` columns (ESRI:102025, metres).

A point's cell is the pair of integers (floor(x / cell), floor(y / cell)) of its projected
coordinates: grouping by two integer keys of a stored column took 0.4-0.7 s for 1M cases here,
against 3.7 s for ST_SnapToGrid(ST_Transform(...)) on the fly (FIELD-NOTES). Cells of an
equal-area projection all cover cell² m² of ground, so counts per cell are comparable densities.

Cells are squares in the projection, not on the ground: 102025 is equal-area, not conformal, so over
China a projected metre is 0.906-1.103 true metres depending on direction (measured with PostGIS
at 4-54° N). Distances are therefore never read off the grid; see `maps.gaps`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.gis.db.models import Extent
from django.db import connection
from django.db.models import Count, F, FloatField, Func, IntegerField, QuerySet

from stations.models import EQUAL_AREA_SRID

# Bounds of the projection's scale over China (see above), with a margin: a projected distance p
# and the true distance d satisfy SCALE_MIN * d <= p <= SCALE_MAX * d.
SCALE_MIN = 0.90
SCALE_MAX = 1.11

# The latitudes gridded. ESRI:102025 cannot take points near the poles back to WGS84 (PostGIS:
# "Point outside of projection domain" from 80 S and at 90 N, measured for cells up to 100 km),
# and one such point, a typo or a spoofed phone, made the heatmap fail for everyone. Nothing the
# unions serve lies outside these; such points are left out of every grid, not refused.
GRID_LATITUDES = (-70.0, 85.0)

# Cell sizes offered when a grid must be coarsened to stay small on a page.
NICE_CELLS = (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000)


class GridIndex(Func):
    """Column (axis "x") or row ("y") of the `cell`-metre grid cell holding a projected point."""

    output_field = IntegerField()
    template = "floor(%(function)s(%(expressions)s) / %(cell)s::float8)::integer"

    def __init__(self, expression, axis: str, cell: float):
        if axis not in ("x", "y"):
            raise ValueError("axis must be x or y")
        # `cell` is a validated number written as a literal so that the SELECT and the GROUP BY
        # expressions are textually identical (a parameter in each would not be).
        super().__init__(expression, function=f"ST_{axis.upper()}", cell=repr(float(cell)))


# In the SQL below the arithmetic is float8 throughout: `(i + 0.5) * 500.0` would be numeric
# (decimal) arithmetic, which cost ~100 ms per 10,000 cells here.


def cell_centre_sql(i: str, j: str, cell: str) -> str:
    """SQL for the projected (102025) centre point of cell (i, j)."""
    return (
        f"ST_SetSRID(ST_MakePoint(({i} + 0.5::float8) * {cell}::float8, "
        f"({j} + 0.5::float8) * {cell}::float8), {EQUAL_AREA_SRID})"
    )


def cell_rings(cell: int, keys: Sequence[tuple[int, int]]) -> list[list[list[float]]]:
    """The WGS84 outline (a closed ring of [lon, lat]) of each grid cell (i, j) in `keys`.

    Asked only for the cells a page shows, not with the analysis: transforming and formatting
    10,000 polygons cost more than the rest of the answer's extra work over the anchor query.
    """
    if not keys:
        return []
    c = repr(float(cell))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT (SELECT array_agg(ARRAY[ST_X(p.geom), ST_Y(p.geom)] ORDER BY p.path)
                    FROM ST_DumpPoints(ST_Transform(ST_MakeEnvelope(
                        k.i * {c}::float8, k.j * {c}::float8,
                        (k.i + 1) * {c}::float8, (k.j + 1) * {c}::float8, {EQUAL_AREA_SRID}),
                        4326)) p)
            FROM unnest(%s::int[], %s::int[]) WITH ORDINALITY AS k(i, j, n)
            ORDER BY k.n
            """,
            [[i for i, _ in keys], [j for _, j in keys]],
        )
        return [ring for (ring,) in cursor.fetchall()]


@dataclass(frozen=True)
class CountCell:
    i: int
    j: int
    group: str | None
    count: int
    lon: float  # centre, WGS84
    lat: float


def gridable(points: QuerySet) -> QuerySet:
    """The points with a projected location the grid can use (see GRID_LATITUDES)."""
    south, north = GRID_LATITUDES
    latitude = Func(F("location"), function="ST_Y", output_field=FloatField())
    return points.filter(location_ea__isnull=False).alias(grid_lat=latitude).filter(
        grid_lat__gte=south, grid_lat__lte=north
    )


def coarse_enough_cell(points: QuerySet, requested: int, max_cells: int) -> int:
    """The smallest nice cell size >= `requested` whose grid over the points' extent has at most
    `max_cells` cells, so that a page drawing every non-empty cell stays small."""
    extent = gridable(points).aggregate(extent=Extent("location_ea"))["extent"]
    if extent is None:
        return requested
    width, height = extent[2] - extent[0], extent[3] - extent[1]
    for cell in (requested, *(c for c in NICE_CELLS if c > requested)):
        if (math.floor(width / cell) + 1) * (math.floor(height / cell) + 1) <= max_cells:
            return cell
    return NICE_CELLS[-1]


def count_cells(points: QuerySet, cell: int, *, group_by: str | None = None) -> list[CountCell]:
    """Points per grid cell (optionally per value of `group_by`), computed in PostGIS.

    `points` is any queryset of a model with a `location_ea` column (cases, facilities); its
    filters become the WHERE clause of the aggregation.
    """
    keys = {"i": GridIndex("location_ea", "x", cell), "j": GridIndex("location_ea", "y", cell)}
    fields = ["i", "j", *([group_by] if group_by else [])]
    grouped = (
        gridable(points)
        .annotate(**keys)
        .values(*fields)
        .annotate(n=Count("*"))
        .order_by()
    )
    inner, params = grouped.query.sql_with_params()
    group_col = f"g.{connection.ops.quote_name(group_by)}" if group_by else "NULL::text"
    c = repr(float(cell))
    sql = f"""
        SELECT g.i, g.j, {group_col}, g.n,
               ST_X(ST_Transform({cell_centre_sql("g.i", "g.j", c)}, 4326)),
               ST_Y(ST_Transform({cell_centre_sql("g.i", "g.j", c)}, 4326))
        FROM ({inner}) AS g
        ORDER BY g.n DESC, g.i, g.j
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [CountCell(*row) for row in cursor.fetchall()]
