"""Suggested sites: where n new facilities would cover the most unmet demand (maximal covering).

Candidates are grid cell centres; a site covers a demand cell when the two centres are within
`radius` metres on the ellipsoid, the same rule by which `maps.gaps` calls a cell served. Existing
facilities are kept: only cells they leave unserved (unmet demand > 0) can be newly covered.

Which (candidate, demand cell) pairs cover each other is computed in PostGIS from integer offsets
on the grid; choosing the sites is the greedy algorithm with lazy evaluation (Minoux's
"accelerated greedy", CELF) in Python over those pairs. Coverage is submodular, so greedy keeps
at least 1 - 1/e of the optimum's coverage in theory and, measured in bench/gaps.py against an
exact search, far more in practice; lazy evaluation re-scores only the candidates that reach the
top of the heap.

With a time window and `include_extensions`, existing facilities that are not open throughout
the window are candidates too: "keep this place open through the window" covers the unserved
cells within `radius` of it, by the same rule. They enter the same greedy order as new sites, each
with the demand it newly covers, so a planner sees "open 王店镇工会驿站 until 02:00: +41" beside
"build here: +84". On equal gains an extension ranks before a new site (the cheaper fix).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from maps.gaps import CACHE_SECONDS, GapQuery, GapResult, cached_gap_cells
from maps.grid import SCALE_MAX, cell_centre_sql
from stations import sql as stations_sql
from stations.models import Facility

SITE = "site"
EXTENSION = "extension"

EPSILON = 1e-9


@dataclass(frozen=True)
class Candidate:
    i: int
    j: int
    lon: float  # centre, WGS84
    lat: float
    covers: tuple[int, ...]  # indexes into the list of unserved cells


@dataclass(frozen=True)
class Extension:
    """An existing facility not open throughout the window, and the unserved cells it would
    serve if it were."""

    facility_id: int
    name: str
    opening_hours: str
    lon: float
    lat: float
    covers: tuple[int, ...]  # indexes into the list of unserved cells

    def proposed_hours(self, window_text: str) -> str:
        """Its hours with the window added (the opening-hours grammar reads `;` as another
        rule)."""
        return f"{self.opening_hours}; {window_text}"


@dataclass(frozen=True)
class Site:
    rank: int
    lon: float
    lat: float
    newly_covered: float  # unmet demand this site covers that no earlier site did
    cumulative_covered: float  # all demand covered: existing facilities and sites 1..rank
    cumulative_share: float  # cumulative_covered / total demand
    proposal: str = SITE  # SITE: build here; EXTENSION: open this facility through the window
    facility_id: int | None = None  # the facility to keep open (extensions only)
    facility_name: str = ""
    opening_hours: str = ""  # its hours now
    proposed_hours: str = ""  # its hours with the window added


@dataclass(frozen=True)
class SiteSuggestion:
    result: GapResult
    sites: list[Site]

    def summary(self) -> dict:
        total = self.result.total_demand
        before = total - self.result.unmet_demand
        return {
            **self.result.summary(),
            "covered_before": round(before, 3),
            "covered_share_before": round(before / total, 4) if total else None,
            "sites": len(self.sites),
        }


def greedy_max_cover(
    covers: Mapping[Hashable, Sequence[int]], weight: Sequence[float], n: int
) -> list[tuple[Hashable, float]]:
    """Up to n keys of `covers` chosen greedily to maximise the covered weight, with the weight
    each newly covers. Stops early when no candidate covers anything new.

    Lazy evaluation: a candidate's gain only shrinks as others are chosen, so a gain computed
    earlier is an upper bound; the heap top is re-scored and taken once it still beats the
    (stale, optimistic) bound of the next one.
    """
    covered = [False] * len(weight)
    heap = [(-math.fsum(weight[d] for d in cells), key) for key, cells in covers.items()]
    heapq.heapify(heap)
    picks: list[tuple[Hashable, float]] = []
    while heap and len(picks) < n:
        _, key = heapq.heappop(heap)
        gain = math.fsum(weight[d] for d in covers[key] if not covered[d])
        if heap and gain < -heap[0][0] - EPSILON:
            heapq.heappush(heap, (-gain, key))  # stale: re-queue with its true gain
            continue
        if gain <= EPSILON:
            break
        for d in covers[key]:
            covered[d] = True
        picks.append((key, gain))
    return picks


def candidates(result: GapResult) -> list[Candidate]:
    """Cell centres that would serve at least one unserved cell, with the cells each serves.

    One statement: every unserved cell is paired with the grid offsets whose centres can lie within
    `radius` on the ground (projected distance <= SCALE_MAX * radius), and the pair is kept if
    the centres are within `radius` on the ellipsoid (ST_DWithin on geography). With an area,
    candidates must lie inside it (its subdivided pieces, GiST-indexed).
    """
    query = result.query
    unserved = [cell for cell in result.cells if cell.unmet_demand > 0]
    if not unserved:
        return []
    c = repr(float(query.cell))
    reach = int(SCALE_MAX * query.radius // query.cell) + 1
    in_area = (
        "AND " + stations_sql.piece_covers("cand.centre::geometry")
        if query.area is not None
        else ""
    )
    sql = f"""
        WITH demand AS (
            SELECT d.idx, d.i, d.j,
                   ST_Transform({cell_centre_sql("d.i", "d.j", c)}, 4326)::geography AS centre
            FROM unnest(%s::int[], %s::int[], %s::int[]) AS d(idx, i, j)
        ),
        offsets AS (
            SELECT di, dj
            FROM generate_series(-{reach}, {reach}) di, generate_series(-{reach}, {reach}) dj
            WHERE (di * di + dj * dj) * {c} * {c} <= power(%s * %s, 2)
        ),
        pair AS (
            SELECT d.idx, d.centre, d.i + o.di AS ci, d.j + o.dj AS cj
            FROM demand d CROSS JOIN offsets o
        ),
        cand AS (
            SELECT ci, cj,
                   ST_Transform({cell_centre_sql("ci", "cj", c)}, 4326)::geography AS centre
            FROM (SELECT DISTINCT ci, cj FROM pair) k
        )
        SELECT cand.ci, cand.cj, ST_X(cand.centre::geometry), ST_Y(cand.centre::geometry),
               array_agg(pair.idx ORDER BY pair.idx)
        FROM pair JOIN cand USING (ci, cj)
        WHERE ST_DWithin(pair.centre, cand.centre, %s) {in_area}
        GROUP BY cand.ci, cand.cj, cand.centre
    """
    params = [
        list(range(len(unserved))), [u.i for u in unserved], [u.j for u in unserved],
        SCALE_MAX, query.radius, query.radius,
        *([query.area.pk] if query.area is not None else []),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Candidate(i, j, lon, lat, tuple(covers)) for i, j, lon, lat, covers in cursor]


def extensions(result: GapResult) -> list[Extension]:
    """Facilities of the kind (and counted statuses) not open throughout the query's window that
    are within `radius` of an unserved cell, with the unserved cells each would serve. None
    without a window."""
    query = result.query
    unserved = [cell for cell in result.cells if cell.unmet_demand > 0]
    if not unserved or query.window is None:
        return []
    c = repr(float(query.cell))
    closed, closed_params = query.facility_filter_sql(throughout=False)
    sql = f"""
        WITH demand AS (
            SELECT d.idx, p.centre_ea, ST_Transform(p.centre_ea, 4326)::geography AS centre
            FROM unnest(%s::int[], %s::int[], %s::int[]) AS d(idx, i, j)
            CROSS JOIN LATERAL (SELECT {cell_centre_sql("d.i", "d.j", c)} AS centre_ea) p
        )
        SELECT f.id, f.name, f.opening_hours, ST_X(f.location), ST_Y(f.location),
               array_agg(d.idx ORDER BY d.idx)
        FROM demand d
        JOIN {Facility._meta.db_table} f
          ON ST_DWithin(f.location_ea, d.centre_ea, %s)
         AND ST_DWithin(f.location::geography, d.centre, %s)
        WHERE {closed}
        GROUP BY f.id
    """
    params = [
        list(range(len(unserved))), [u.i for u in unserved], [u.j for u in unserved],
        SCALE_MAX * query.radius, query.radius, *closed_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Extension(fid, name, hours, lon, lat, tuple(covers))
                for fid, name, hours, lon, lat, covers in cursor]


def suggest_sites(result: GapResult, n: int, include_extensions: bool = False) -> SiteSuggestion:
    unserved = [cell for cell in result.cells if cell.unmet_demand > 0]
    # Keys order ties in the heap: ("extension", id) sorts before ("site", i, j).
    pool: dict[tuple, Candidate | Extension] = {
        (SITE, cand.i, cand.j): cand for cand in candidates(result)
    }
    if include_extensions:
        pool.update({(EXTENSION, ext.facility_id): ext for ext in extensions(result)})
    picks = greedy_max_cover(
        {key: cand.covers for key, cand in pool.items()}, [u.unmet_demand for u in unserved], n
    )
    total = result.total_demand
    covered = total - result.unmet_demand
    sites = []
    for rank, (key, gain) in enumerate(picks, start=1):
        covered += gain
        cand = pool[key]
        common = {
            "rank": rank, "lon": cand.lon, "lat": cand.lat, "newly_covered": gain,
            "cumulative_covered": covered, "cumulative_share": covered / total if total else 0.0,
        }
        if isinstance(cand, Extension):
            sites.append(Site(
                **common, proposal=EXTENSION, facility_id=cand.facility_id,
                facility_name=cand.name, opening_hours=cand.opening_hours,
                proposed_hours=cand.proposed_hours(result.query.window.text),
            ))
        else:
            sites.append(Site(**common))
    return SiteSuggestion(result=result, sites=sites)


def cached_sites(query: GapQuery, n: int, include_extensions: bool = False) -> SiteSuggestion:
    key = query.cache_key("sites", n, include_extensions)
    suggestion = cache.get(key)
    if suggestion is None:
        suggestion = suggest_sites(cached_gap_cells(query), n, include_extensions)
        cache.set(key, suggestion, CACHE_SECONDS)
    return suggestion
