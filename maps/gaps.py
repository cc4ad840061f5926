"""Coverage gaps: demand per equal-area cell against the distance to the nearest facility.

Demand is where workers' cases were located. A facility-shortage case of the analysed kind (e.g.
"shortage of charging points" when analysing charging points) counts 1; cases of other categories
count a planner-set weight, 0 unless asked, so a planner can let, say, safety complaints signal
where riders spend their day. Per cell of `cell` metres:

    demand        sum of the weights of the cases in the cell
    nearest_m     true distance (metres, WGS84 ellipsoid) from the cell centre to the nearest
                  facility of the kind (status open; planned ones too on request); null if none
    unmet_demand  demand if nearest_m > radius (or no facility at all), else 0

Only cells with demand are returned: a cell without demand has no gap to report, and the answer
then grows with the data instead of with the area (a 500 m grid over Beijing has 65,000 cells).

The analysis is one SQL statement (cell outlines are drawn later, only for the cells a page
shows: `maps.grid.cell_rings`). The demand grid is a grouped ORM queryset over the
precomputed `location_ea` column (see `maps.grid`), and the nearest facility of each cell is found
with KNN (`<->`) on the GiST index of `stations_facility.location_ea`, then measured on the
ellipsoid (geography). The projection is equal-area, not equidistant: a projected metre is
0.906-1.103 true metres over China, depending on direction, so the facility nearest in the
projection is not always the nearest on the ground (4 % of the cells in bench/gaps.py, by up to
20 %). Where that could change the answer, i.e. whenever the distance found is beyond `radius`,
a second index probe searches the disc where a nearer facility could be, so:

- `unmet_demand` is exact, and so is `nearest_m` of every unserved cell;
- a served cell's `nearest_m` is the ellipsoidal distance to the facility nearest in the
  projection: never more than `radius`, and in near-ties up to 23 % above the true nearest.
  Making it exact everywhere cost 27 % over the anchor query in SQL alone (bench/gaps.py),
  against 12 % for this whole request as it is, for a figure that the cell's own size blurs
  more (the cases of a 500 m cell lie up to 350 m from its centre).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, FloatField, QuerySet, Sum, Value, When
from django.db.models import Case as SqlCase
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from cases.models import SHORTAGE_CATEGORY_FOR_KIND, Case, Category
from maps.grid import SCALE_MAX, GridIndex, cell_centre_sql, gridable
from maps.window import TimeWindow
from stations import sql as stations_sql
from stations.hours import LOCAL_ZONE
from stations.models import EQUAL_AREA_SRID, Area, FacilityStatus

# A gap request refuses grids larger than this many cells (a 400 naming `cell`): the answer is
# one GeoJSON polygon per cell with demand, ~250 bytes each.
MAX_CELLS = getattr(settings, "GAPS_MAX_CELLS", 50_000)
# Computed gaps are cached this long at most; changed data changes the key before that (see
# `data_version`).
CACHE_SECONDS = getattr(settings, "GAPS_CACHE_SECONDS", 300)


class TooManyCells(ValueError):
    """The grid asked for would exceed MAX_CELLS."""


@dataclass(frozen=True)
class GapQuery:
    """A normalised gap request: equal queries are equal, which the cache relies on."""

    kind: str
    radius: int = 1000
    cell: int = 500
    area: Area | None = field(default=None, compare=False, repr=False)
    since: date | None = None
    until: date | None = None
    categories: tuple[str, ...] = ()  # only these categories count; empty: all
    other_weight: float = 0.0
    weights: tuple[tuple[str, float], ...] = ()  # per-category weights overriding other_weight
    include_planned: bool = False
    window: TimeWindow | None = None  # local hours of the week; None: at every hour
    # The area's identity for equality and the cache key (Area instances don't compare by value).
    area_key: tuple | None = field(default=None, init=False)

    def __post_init__(self):
        if self.area is not None:
            object.__setattr__(self, "area_key", (self.area.pk, self.area.path))

    @property
    def shortage_category(self) -> str:
        return SHORTAGE_CATEGORY_FOR_KIND[self.kind]

    def category_weights(self) -> dict[str, float]:
        """Weight of each category that counts (weight > 0), after the category filter."""
        overrides = dict(self.weights)
        result = {}
        for category in Category.values:
            weight = (
                1.0 if category == self.shortage_category
                else overrides.get(category, self.other_weight)
            )
            if weight > 0 and (not self.categories or category in self.categories):
                result[category] = float(weight)
        return result

    def facility_statuses(self) -> list[str]:
        statuses = [FacilityStatus.OPEN.value]
        if self.include_planned:
            statuses.append(FacilityStatus.PLANNED.value)
        return statuses

    def facility_filter_sql(self, alias: str = "f", *, throughout: bool = True) -> tuple[str, list]:
        """SQL condition (and params) for the facilities that count: the kind, the statuses and,
        with a window, open throughout it (the window's minutes contained in the facility's).
        With `throughout=False`: those of the kind and statuses that are *not* open throughout
        the window (the ones whose hours could be extended; none without a window)."""
        sql = f"{alias}.kind = %s AND {alias}.status = ANY(%s)"
        params: list = [self.kind, self.facility_statuses()]
        if self.window is not None and not self.window.whole_week:
            open_throughout = f"({alias}.open_24h OR {alias}.open_minutes @> %s::int4multirange)"
            if throughout:
                sql += f" AND {open_throughout}"
            else:
                sql += f" AND NOT coalesce({open_throughout}, false)"
            params.append(self.window.multirange())
        elif not throughout:
            sql += " AND false"
        return sql, params

    def cache_key(self, prefix: str, *extra) -> str:
        digest = hashlib.sha256(repr((self, extra, data_version())).encode()).hexdigest()
        return f"maps:{prefix}:{digest}"


class GapCell(NamedTuple):
    """One cell of the answer (the fields of a `GapResult.rows` tuple, by name)."""

    i: int
    j: int
    demand: float
    nearest_m: float | None
    unmet_demand: float
    lon: float  # centre, WGS84
    lat: float


@dataclass(frozen=True)
class GapResult:
    query: GapQuery
    # GapCell fields as plain tuples, worst first (unmet demand, then demand, descending). The
    # result is cached, and 10,000 plain tuples unpickle in 6 ms, named ones in 18 ms and
    # dataclasses in 70 ms: more than a whole cached answer may take.
    rows: list[tuple]
    total_demand: float = 0.0
    unmet_demand: float = 0.0

    @classmethod
    def from_rows(cls, query: GapQuery, rows: list[tuple]) -> GapResult:
        return cls(
            query=query, rows=rows,
            total_demand=math.fsum(row[2] for row in rows),
            unmet_demand=math.fsum(row[4] for row in rows),
        )

    @property
    def cells(self) -> list[GapCell]:
        return list(map(GapCell._make, self.rows))

    def summary(self) -> dict:
        total, unmet = self.total_demand, self.unmet_demand
        return {
            "kind": self.query.kind,
            "radius_m": self.query.radius,
            "cell_m": self.query.cell,
            "cells": len(self.rows),
            "total_demand": round(total, 3),
            "unmet_demand": round(unmet, 3),
            "covered_share": round((total - unmet) / total, 4) if total else None,
        }


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)


def located_cases(
    *, area: Area | None = None, since: date | None = None, until: date | None = None,
    categories: tuple[str, ...] = (),
) -> QuerySet[Case]:
    """Cases with a location, filtered by area (and its sub-areas), local days and categories."""
    cases = Case.objects.filter(location__isnull=False)
    if categories:
        cases = cases.filter(category__in=list(categories))
    if since:
        cases = cases.filter(created_at__gte=local_midnight(since))
    if until:  # inclusive: the whole local day
        cases = cases.filter(created_at__lt=local_midnight(until + timedelta(days=1)))
    if area is not None:
        # A list of area ids rather than a join on the path prefix: 170 ms less CPU per million
        # cases (PostgreSQL hashes a long IN list).
        ids = list(Area.objects.descendants_of(area).values_list("id", flat=True))
        cases = cases.filter(area_id__in=ids)
    return cases.order_by()


# Minute of the week (0 = Monday 00:00) of `created_at` in local time, in integer arithmetic:
# the Unix epoch fell on a Thursday (3 days after a Monday), and Asia/Shanghai has kept UTC+8
# without daylight saving since 1991. Cheaper than extract(isodow/hour/minute ... AT TIME ZONE)
# on a million rows; tests/maps/test_gap_window_demand.py checks it against stations.hours.
CASE_MINUTE_OF_WEEK_SQL = (
    # mod() rather than %, which the database driver would read as a parameter.
    "mod(floor(extract(epoch FROM {column}))::bigint / 60 + 8 * 60 + 3 * 1440, 10080)::int"
)


def in_window(cases: QuerySet[Case], window: TimeWindow | None) -> QuerySet[Case]:
    """Cases whose local time (minute of the week) falls in `window`.

    Cases stand for when workers need a place: the time a worker complained is the proxy. Other
    demand with a time (riders' check-ins, per facility and day, once they exist) would be added
    beside the cases in `demand_grid`, filtered by the same window.
    """
    if window is None or window.whole_week:
        return cases
    minute = CASE_MINUTE_OF_WEEK_SQL.format(column=f'"{Case._meta.db_table}"."created_at"')
    return cases.alias(
        in_window=RawSQL(f"%s::int4multirange @> {minute}", [window.multirange()],
                         output_field=BooleanField())
    ).filter(in_window=True)


def demand_cases(query: GapQuery) -> QuerySet[Case]:
    """The located cases that count as demand for `query` (those of a category weighted > 0,
    in its time window)."""
    weights = query.category_weights()  # already restricted to query.categories
    cases = located_cases(
        area=query.area, since=query.since, until=query.until, categories=tuple(weights)
    )
    return in_window(cases, query.window)


def demand_grid(query: GapQuery) -> QuerySet:
    """`demand_cases` grouped into cells: rows of (i, j, demand)."""
    weights = query.category_weights()
    if len(set(weights.values())) == 1:
        # The usual case (only shortage cases count): count(*) times the weight, cheaper than
        # summing a weight per row.
        demand = ExpressionWrapper(
            Count("*") * Value(next(iter(weights.values()))), output_field=FloatField()
        )
    else:
        by_weight: dict[float, list[str]] = {}
        for category, weight in weights.items():
            by_weight.setdefault(weight, []).append(category)
        demand = Sum(SqlCase(
            *[When(category__in=cats, then=Cast(Value(w), FloatField()))
              for w, cats in by_weight.items()],
            default=Cast(Value(0.0), FloatField()),
        ))
    return (
        gridable(demand_cases(query))
        .annotate(
            i=GridIndex("location_ea", "x", query.cell),
            j=GridIndex("location_ea", "y", query.cell),
        )
        .values("i", "j")
        .annotate(demand=demand)
        .order_by()
    )


def gap_cells(query: GapQuery) -> GapResult:
    """Compute the gap cells of `query` in one SQL statement (see the module docstring)."""
    if query.area is not None:
        check_grid_size(query.area, query.cell)
    if not query.category_weights():  # every category filtered out or weighted 0
        return GapResult.from_rows(query, [])
    grid_sql, grid_params = demand_grid(query).query.sql_with_params()
    c = repr(float(query.cell))
    # Facilities that count: the filter is repeated in both index probes below.
    facilities, fac_params = query.facility_filter_sql()
    # The grid is materialised and counted first: a grid over MAX_CELLS fails the one-time
    # filter (the WHERE of `measured`) before a single nearest-facility probe runs.
    sql = f"""
        WITH grid AS MATERIALIZED ({grid_sql}),
        cell AS (
            SELECT g.i, g.j, g.demand::float8 AS demand,
                   {cell_centre_sql("g.i", "g.j", c)} AS centre_ea
            FROM grid g
        ),
        measured AS (
            SELECT cell.i, cell.j, cell.demand, least(knn.nearest_m, ring.nearest_m) AS nearest_m,
                   ST_X(w.centre) AS lon, ST_Y(w.centre) AS lat
            FROM cell
            CROSS JOIN LATERAL (SELECT ST_Transform(cell.centre_ea, 4326) AS centre) w
            -- The nearest facility in projected metres (KNN on the GiST index), measured on the
            -- ellipsoid.
            LEFT JOIN LATERAL (
                SELECT ST_Distance(f.location::geography, w.centre::geography) AS nearest_m
                FROM {stations_sql.FACILITY} f
                WHERE {facilities}
                ORDER BY f.location_ea <-> cell.centre_ea
                LIMIT 1
            ) knn ON true
            -- Beyond the radius, make it exact: any facility nearer on the ground than that one
            -- is within SCALE_MAX times its distance in the projection. The condition on the
            -- outer row is a one-time filter: no index scan at all for served cells.
            LEFT JOIN LATERAL (
                SELECT min(ST_Distance(f.location::geography, w.centre::geography)) AS nearest_m
                FROM {stations_sql.FACILITY} f
                WHERE knn.nearest_m > %s
                  AND {facilities}
                  AND ST_DWithin(f.location_ea, cell.centre_ea, %s * knn.nearest_m)
            ) ring ON true
            WHERE (SELECT count(*) FROM grid) <= %s
        )
        SELECT i, j, demand, nearest_m,
               CASE WHEN nearest_m IS NULL OR nearest_m > %s THEN demand ELSE 0.0 END AS unmet,
               lon, lat
        FROM measured
        ORDER BY unmet DESC, demand DESC, i, j
    """
    params = [
        *grid_params, *fac_params, query.radius, *fac_params, SCALE_MAX, MAX_CELLS, query.radius,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows and grid_size(grid_sql, grid_params) > MAX_CELLS:
        raise TooManyCells(
            f"more than {MAX_CELLS} cells have demand; use a larger cell or a smaller area"
        )
    return GapResult.from_rows(query, rows)


def grid_size(grid_sql: str, grid_params) -> int:
    """Cells with demand (only asked when the gap query returned nothing: empty or too big)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({grid_sql}) g", grid_params)
        return cursor.fetchone()[0]


def check_grid_size(area: Area, cell: int) -> None:
    """Refuse a grid over `area` of more than MAX_CELLS cells before scanning any case."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) "
            f"FROM (SELECT ST_Transform({stations_sql.column(Area, 'boundary')}, %s)::box2d AS b "
            f"FROM {stations_sql.AREA} WHERE {stations_sql.column(Area, 'id')} = %s) t",
            [EQUAL_AREA_SRID, area.pk],
        )
        xmin, ymin, xmax, ymax = cursor.fetchone()
    columns = int(xmax // cell) - int(xmin // cell) + 1
    rows = int(ymax // cell) - int(ymin // cell) + 1
    if columns * rows > MAX_CELLS:
        raise TooManyCells(
            f"a {cell} m grid over area {area.adcode} has {columns * rows} cells, more than "
            f"{MAX_CELLS}; use a larger cell or a smaller area"
        )


def data_version() -> tuple:
    """A cheap fingerprint of the data the analysis reads, for cache keys.

    Reading max(updated_at) would scan 1M cases (~60 ms, more than a cached answer may take).
    Instead: the highest ids (an index lookup; new rows show at once, even inside the current
    transaction) and PostgreSQL's per-table counters of updated and deleted rows, committed ones
    (which other sessions flush within about a second) plus the current transaction's. Changes
    that slip past both still expire with CACHE_SECONDS.
    """
    tables = (Case._meta.db_table, stations_sql.FACILITY, stations_sql.AREA)
    counters = " + ".join(
        f"pg_stat_get_{scope}tuples_{what}('{t}'::regclass)"
        for t in tables
        for scope in ("", "xact_")
        for what in ("updated", "deleted")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(f"(SELECT max(id) FROM {table})" for table in tables)
            + f", {counters}"
        )
        return cursor.fetchone()


def cached_gap_cells(query: GapQuery) -> GapResult:
    key = query.cache_key("gaps")
    result = cache.get(key)
    if result is None:
        result = gap_cells(query)
        cache.set(key, result, CACHE_SECONDS)
    return result
