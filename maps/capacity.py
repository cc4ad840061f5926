"""Capacity: supply against the demand within reach, per cell (2SFCA and E2SFCA).

Coverage (`maps.gaps`) asks only whether some facility is near; a charging point with 2 sockets
"covers" 300 riders. Here each facility's supply is shared among the demand in its catchment
(the floating catchment methods of Luo & Wang 2003, and Luo & Qi 2009 with distance decay):

    step 1, per facility j:  R_j = S_j / sum_k W(d_kj) D_k     over cells k with d_kj <= radius
    step 2, per cell k:      A_k = sum_j W(d_kj) R_j           over facilities j with d_kj <= radius

D_k is the cell's demand (the same weighted cases as the coverage analysis, in the same time
window), d_kj the ellipsoidal distance from the cell centre to the facility (the rule by which
coverage calls a cell served), and S_j the facility's supply:

- rest stations and canteens: `seats`, else DEFAULT_SUPPLY (10 and 30);
- charging points: `sockets`, else DEFAULT_SUPPLY (4): a small street cabinet.

2SFCA takes W = 1 within the radius. E2SFCA uses a Gaussian decay truncated at the radius,
W(d) = exp(-d^2 / (2 sigma^2)) with sigma = radius / 2: 1 at the facility, 0.61 at half the
radius, 0.14 at the radius. Smooth (no banding artefacts of stepped zones) and with one
parameter that follows the radius a planner already chose.

A_k is supply per unit of demand in reach: below 1, a cell's demand exceeds what the facilities
around it can give it (`exceeds_supply`); 0 where no facility is in reach. Demand is cases over
the period asked (`since`/`until`), so the ratio reads "seats (or sockets) per case in reach":
compare cells with each other, or periods of equal length.

Facilities count when they count for coverage: the kind, open (planned ones on request) and,
with a window, open throughout it. Only cells of the query (its area and categories) load the
facilities. The whole computation is one SQL statement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection

from maps.gaps import (
    CACHE_SECONDS,
    MAX_CELLS,
    GapQuery,
    TooManyCells,
    check_grid_size,
    demand_grid,
    grid_size,
)
from maps.grid import SCALE_MAX, cell_centre_sql
from stations.models import Facility, FacilityKind

DEFAULT_SUPPLY = {
    FacilityKind.REST_STATION: 10,
    FacilityKind.CANTEEN: 30,
    FacilityKind.CHARGING_POINT: 4,
}
# Sigma of the Gaussian decay as a share of the radius (see above).
SIGMA_SHARE = 0.5


def supply_column(kind: str) -> str:
    return "sockets" if kind == FacilityKind.CHARGING_POINT else "seats"


def decay(distance_m: float, radius: float) -> float:
    """E2SFCA weight of a distance (0 beyond the radius)."""
    if distance_m > radius:
        return 0.0
    sigma = SIGMA_SHARE * radius
    return math.exp(-(distance_m**2) / (2 * sigma**2))


class CapacityCell(NamedTuple):
    i: int
    j: int
    demand: float
    ratio_2sfca: float
    ratio_e2sfca: float
    lon: float
    lat: float

    @property
    def exceeds_supply(self) -> bool:
        return self.ratio_2sfca < 1


@dataclass(frozen=True)
class CapacityResult:
    query: GapQuery
    rows: list[tuple]  # CapacityCell fields; lowest 2SFCA ratio first, then most demand

    @property
    def cells(self) -> list[CapacityCell]:
        return list(map(CapacityCell._make, self.rows))

    def summary(self) -> dict:
        cells = self.cells
        over = [c for c in cells if c.exceeds_supply]
        total = math.fsum(c.demand for c in cells)
        return {
            "kind": self.query.kind,
            "measure": "capacity",
            "radius_m": self.query.radius,
            "cell_m": self.query.cell,
            "cells": len(cells),
            "total_demand": round(total, 3),
            "cells_exceeding_supply": len(over),
            "demand_exceeding_supply": round(math.fsum(c.demand for c in over), 3),
            "default_supply": DEFAULT_SUPPLY[self.query.kind],
            "decay": f"gaussian, sigma = {SIGMA_SHARE} x radius",
        }


def capacity_cells(query: GapQuery) -> CapacityResult:
    if query.area is not None:
        check_grid_size(query.area, query.cell)
    if not query.category_weights():
        return CapacityResult(query, [])
    grid_sql, grid_params = demand_grid(query).query.sql_with_params()
    facilities, fac_params = query.facility_filter_sql()
    c = repr(float(query.cell))
    column = supply_column(query.kind)
    sigma = SIGMA_SHARE * query.radius
    sql = f"""
        WITH grid AS MATERIALIZED ({grid_sql}),
        cell AS (
            SELECT g.i, g.j, g.demand::float8 AS demand, p.centre_ea,
                   ST_Transform(p.centre_ea, 4326)::geography AS centre
            FROM grid g
            CROSS JOIN LATERAL (SELECT {cell_centre_sql("g.i", "g.j", c)} AS centre_ea) p
            WHERE (SELECT count(*) FROM grid) <= %s  -- as in maps.gaps: a one-time filter
        ),
        -- Cell-facility pairs within the radius on the ellipsoid; the projected search disc
        -- (SCALE_MAX times wider) lets the GiST index of location_ea find them. The distance is
        -- measured once and compared afterwards (an ST_DWithin on geography as well would
        -- measure every pair twice).
        candidate AS (
            SELECT cell.i, cell.j, cell.demand, f.id,
                   coalesce(f.{column}, %s)::float8 AS supply,
                   ST_Distance(f.location::geography, cell.centre) AS d
            FROM cell
            JOIN {Facility._meta.db_table} f ON ST_DWithin(f.location_ea, cell.centre_ea, %s)
            WHERE {facilities}
        ),
        weighted AS (
            SELECT candidate.*, exp(-(d * d) / (2 * %s::float8 * %s::float8)) AS w
            FROM candidate WHERE d <= %s
        ),
        ratio AS (
            SELECT id, supply / sum(demand) AS r2, supply / sum(w * demand) AS re
            FROM weighted GROUP BY id, supply
        ),
        access AS (
            SELECT w.i, w.j, sum(ratio.r2) AS a2, sum(w.w * ratio.re) AS ae
            FROM weighted w JOIN ratio USING (id)
            GROUP BY w.i, w.j
        )
        SELECT cell.i, cell.j, cell.demand, coalesce(a.a2, 0.0), coalesce(a.ae, 0.0),
               ST_X(cell.centre::geometry), ST_Y(cell.centre::geometry)
        FROM cell LEFT JOIN access a USING (i, j)
        ORDER BY 4, cell.demand DESC, cell.i, cell.j
    """
    params = [
        *grid_params, MAX_CELLS, DEFAULT_SUPPLY[query.kind], SCALE_MAX * query.radius,
        *fac_params, sigma, sigma, query.radius,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows and grid_size(grid_sql, grid_params) > MAX_CELLS:
        raise TooManyCells(
            f"more than {MAX_CELLS} cells have demand; use a larger cell or a smaller area"
        )
    return CapacityResult(query, rows)


def cached_capacity_cells(query: GapQuery) -> CapacityResult:
    key = query.cache_key("capacity")
    result = cache.get(key)
    if result is None:
        result = capacity_cells(query)
        cache.set(key, result, CACHE_SECONDS)
    return result
