"""Gap analysis: /api/gaps/ cold and warm against a raw-SQL anchor; greedy sites against the optimum.

    SECRET_KEY=... .venv/bin/python bench/gaps.py [--n 1000000] [--facilities 100000] [--port 8103]

Works in its own database, waystation_bench_gaps on the server of DATABASE_URL (created with
scripts/ensure_db.py and migrated), so the figures never touch anyone's data. It loads, with COPY,
N cases and F facilities into one city-sized area (a 51 x 44 km box at Beijing's latitude; cases
in a dozen hot spots plus a uniform background, facilities around district centres with a thin
uniform scatter, so the periphery has gaps), unless the database already holds exactly that.

Then, in the same run:
1. anchor: the raw SQL a planner would write: the 500 m grid of the shortage cases on the
   `location_ea` floor keys + `LATERAL (... ORDER BY location_ea <-> centre LIMIT 1)` to the
   nearest open facility of the kind. Median of --repeat runs.
2. /api/gaps/ through gunicorn on 127.0.0.1:PORT (one worker, so one cache), logged in as staff:
   cold (each request with a radius not asked before, so nothing is cached; same work) and warm
   (the same request again). Also the sizes of the three map pages with this data.
3. suggested sites on instances small enough for an exact branch-and-bound search (a 10 x 13 km
   district at the edge, 500 m and 1 km cells, SITE_INSTANCES): the coverage of the greedy
   sites as a share of the optimum's, and the time of each; and the same instances solved by
   PySAL spopt's MCLP (integer programme, pulp + its bundled CBC) as a second opinion (needs the
   `bench` dependency group, which `make bench` installs; skipped with a note without it).
4. time windows and capacity: /api/gaps/ cold with hours=22:00-02:00 (a share of the facilities
   keep day hours, set once by `bench_hours`) and with measure=capacity, against the cold
   request without a window in the same interleaved runs.
Prints the figures and the ratios the targets are stated in (cold <= 1.2 x anchor, warm <= 50 ms,
coverage >= 0.95 of the optimum, night cold <= 1.2 x cold).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import gunicorn  # noqa: E402

PY = sys.executable
BENCH_DB = "waystation_bench_gaps"

CITY = (116.10, 39.70, 116.70, 40.10)  # lon/lat box, ~51 x 44 km
DISTRICT = (116.10, 39.98, 116.22, 40.10)  # north-west corner, ~10 x 13 km
CATEGORIES = [
    ("charging_shortage", 25), ("canteen_shortage", 10), ("station_shortage", 10),
    ("wage_arrears", 15), ("platform_rules", 10), ("safety", 10), ("labour_contract", 8),
    ("travel_home", 4), ("skills_training", 3), ("other", 5),
]
KINDS = [("charging_point", 50), ("rest_station", 30), ("canteen", 20)]
STATUSES = [("open", 90), ("planned", 5), ("closed", 3), ("temporarily_closed", 2)]

ANCHOR = """
    WITH grid AS (
        SELECT floor(ST_X(location_ea) / %(cell)s)::int AS i,
               floor(ST_Y(location_ea) / %(cell)s)::int AS j, count(*) AS demand
        FROM cases_case
        WHERE category = %(category)s AND location IS NOT NULL
        GROUP BY 1, 2
    )
    SELECT g.i, g.j, g.demand, near.d
    FROM grid g
    LEFT JOIN LATERAL (
        SELECT f.location_ea <-> ST_SetSRID(ST_MakePoint((g.i + 0.5) * %(cell)s,
                                                         (g.j + 0.5) * %(cell)s), 102025) AS d
        FROM stations_facility f
        WHERE f.kind = %(kind)s AND f.status = 'open'
        ORDER BY f.location_ea <-> ST_SetSRID(ST_MakePoint((g.i + 0.5) * %(cell)s,
                                                           (g.j + 0.5) * %(cell)s), 102025)
        LIMIT 1
    ) near ON true
"""

# The nearest facility of every cell made exact everywhere (not only beyond the radius, as the
# service does): KNN gives the projection's nearest f1 at p1 projected metres; the true nearest
# is within SCALE_MAX / SCALE_MIN * p1 in the projection (maps.grid), all measured on the
# ellipsoid. Used to check the service's nearest_m and to price full exactness.
EXACT = """
    WITH grid AS (
        SELECT floor(ST_X(location_ea) / %(cell)s)::int AS i,
               floor(ST_Y(location_ea) / %(cell)s)::int AS j, count(*) AS demand
        FROM cases_case
        WHERE category = %(category)s AND location IS NOT NULL
        GROUP BY 1, 2
    ), cell AS (
        SELECT i, j, ST_SetSRID(ST_MakePoint((i + 0.5::float8) * %(cell)s,
                                             (j + 0.5::float8) * %(cell)s), 102025) AS c
        FROM grid
    )
    SELECT cell.i, cell.j, ring.d
    FROM cell
    LEFT JOIN LATERAL (
        SELECT f.location_ea <-> cell.c AS p
        FROM stations_facility f
        WHERE f.kind = %(kind)s AND f.status = 'open'
        ORDER BY f.location_ea <-> cell.c
        LIMIT 1
    ) first ON true
    LEFT JOIN LATERAL (
        SELECT min(ST_Distance(f.location::geography, ST_Transform(cell.c, 4326)::geography)) AS d
        FROM stations_facility f
        WHERE f.kind = %(kind)s AND f.status = 'open'
          AND ST_DWithin(f.location_ea, cell.c, first.p * %(factor)s)
    ) ring ON true
"""


def bench_database_url() -> str:
    parts = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    return urlunparse(parts._replace(path="/" + BENCH_DB))


def weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


class RowStream:
    """A file-like object over generated text lines, so COPY streams without holding 100 MB."""

    def __init__(self, lines):
        self.lines = lines
        self.buffer = ""

    def read(self, size=65536):
        while len(self.buffer) < size:
            chunk = "".join(itertools.islice(self.lines, 5000))
            if not chunk:
                break
            self.buffer += chunk
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out

    readline = read


def clip_point(lon: float, lat: float, box=CITY) -> tuple[float, float]:
    return min(max(lon, box[0]), box[2]), min(max(lat, box[1]), box[3])


def gaussian_point(rng, centre, sigma_km):
    lon = rng.gauss(centre[0], sigma_km / (111.32 * math.cos(math.radians(centre[1]))))
    lat = rng.gauss(centre[1], sigma_km / 110.57)
    return clip_point(lon, lat)


def uniform_point(rng, box=CITY):
    return rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])


def in_box(lon, lat, box) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def make_bench_areas():
    """The city and its north-west district (the small instance for the exact search)."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from stations.models import Area

    def box(b):
        return MultiPolygon(Polygon.from_bbox(b), srid=4326)

    for adcode in ("990101", "990100"):  # child first: Area.parent protects
        Area.objects.filter(adcode=adcode).delete()
    city = Area.objects.create(adcode="990100", name="基准市 Bench city", level="city",
                               boundary=box(CITY))
    district = Area.objects.create(adcode="990101", name="基准区 Bench district",
                                   level="district", parent=city, boundary=box(DISTRICT))
    Area.objects.rebuild_paths()
    Area.objects.filter(pk__in=[city.pk, district.pk]).rebuild_pieces()
    city.refresh_from_db()
    district.refresh_from_db()
    return city, district


def load(n_cases: int, n_facilities: int, seed: int) -> None:
    from django.db import connection, transaction

    rng = random.Random(seed)
    hotspots = [(uniform_point(rng, (116.2, 39.75, 116.6, 40.05)), rng.uniform(1.0, 4.0))
                for _ in range(12)]
    centres = [(uniform_point(rng, (116.25, 39.8, 116.55, 40.0)), rng.uniform(2.5, 5.0))
               for _ in range(8)]
    now = time.time()

    def case_lines():
        for k in range(n_cases):
            if rng.random() < 0.75:
                centre, sigma = rng.choice(hotspots)
                lon, lat = gaussian_point(rng, centre, sigma)
            else:
                lon, lat = uniform_point(rng)
            area = district.pk if in_box(lon, lat, DISTRICT) else city.pk
            ts = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(now - rng.uniform(0, 365 * 86400)))
            yield (f"BG{k}\t{weighted(rng, CATEGORIES)}\tbench\thotline\t"
                   f"SRID=4326;POINT({lon:.6f} {lat:.6f})\tgps\t\treceived\t\t{ts}\t{ts}\t\t0\t\t\t"
                   f"t{k}\t\tf\t{ts}\t{ts}\t{area}\tf\n")

    def facility_lines():
        for k in range(n_facilities):
            if rng.random() < 0.995:
                centre, sigma = rng.choice(centres)
                lon, lat = gaussian_point(rng, centre, sigma)
            else:
                lon, lat = uniform_point(rng)
            area = district.pk if in_box(lon, lat, DISTRICT) else city.pk
            yield (f"{weighted(rng, KINDS)}\tbench {k}\t\tSRID=4326;POINT({lon:.6f} {lat:.6f})\t\t"
                   f"{weighted(rng, STATUSES)}\t{{}}\t24/7\tt\tf\tf\t2026-01-01 00:00:00+00\t"
                   f"2026-01-01 00:00:00+00\t{area}\n")

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_caseevent, cases_case, stations_facility CASCADE")
        city, district = make_bench_areas()
        # COPY into unindexed tables, then build the GiST indexes once (FIELD-NOTES: 4 s for 1M).
        cursor.execute("DROP INDEX IF EXISTS cases_case_location_ea")
        cursor.execute("DROP INDEX IF EXISTS stations_facility_location_ea")
        t = time.perf_counter()
        cursor.copy_expert(
            "COPY cases_case (reference, category, description, channel, location, location_source,"
            " address, status, transferred_to, response_due_at, due_at, resolution, reopen_count,"
            " reporter_name, reporter_phone, tracking_token, rating_comment, is_demo, created_at,"
            " updated_at, area_id, notify_me) FROM STDIN",
            RowStream(case_lines()),
        )
        cursor.copy_expert(
            "COPY stations_facility (kind, name, address, location, phone, status, amenities,"
            " opening_hours, open_24h, battery_swap, is_demo, created_at, updated_at, area_id)"
            " FROM STDIN",
            RowStream(facility_lines()),
        )
    # After the commit: deferred foreign-key checks must have run before an index is built.
    with connection.cursor() as cursor:
        for table, index in (("cases_case", "cases_case_location_ea"),
                             ("stations_facility", "stations_facility_location_ea")):
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gist (location_ea)"
            )
        print(f"loaded {n_cases} cases and {n_facilities} facilities in "
              f"{time.perf_counter() - t:.1f} s", file=sys.stderr)
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE stations_facility")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    env = {**os.environ}
    subprocess.run([PY, str(ROOT / "scripts" / "ensure_db.py"), database_url], check=True, env=env)
    subprocess.run([PY, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=env)
    import django

    django.setup()


def loaded_counts() -> tuple[int, int, int]:
    """Cases, facilities, and facilities with an area (a load by an older version had none)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM cases_case WHERE reference LIKE 'BG%%'),"
                       " (SELECT count(*) FROM stations_facility),"
                       " (SELECT count(area_id) FROM stations_facility)")
        return cursor.fetchone()


# Opening hours given to some of the loaded facilities (by id, so reruns agree): 30 % keep day
# hours, 10 % long weekday hours, the rest stay 24/7. Charging points get 2-10 sockets.
BENCH_HOURS = [(3, "08:00-20:00"), (1, "Mo-Fr 07:00-23:00")]
NIGHT = "22:00-02:00"
# A window that keeps 5/6 of the cases: the facility filter at work on nearly the whole grid.
LONG_DAY = "06:00-02:00"


def bench_hours() -> None:
    """Give the loaded facilities their hours and sockets, once (idempotent)."""
    from django.db import connection

    from stations.hours import parse_hours

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM stations_facility WHERE NOT open_24h),"
                       " (SELECT count(*) FROM stations_facility WHERE sockets IS NOT NULL)")
        if all(cursor.fetchone()):
            return
        start = 0
        for tenths, text in BENCH_HOURS:
            hours = parse_hours(text)
            ranges = "{" + ",".join(f"[{a},{b})" for a, b in hours.minute_ranges) + "}"
            cursor.execute(
                "UPDATE stations_facility SET opening_hours = %s, open_24h = false,"
                " open_minutes = %s::int4multirange WHERE id %% 10 >= %s AND id %% 10 < %s",
                [hours.text, ranges, start, start + tenths],
            )
            start += tenths
        cursor.execute("UPDATE stations_facility SET sockets = 2 + mod(id, 9)"
                       " WHERE kind = 'charging_point'")
        cursor.execute("VACUUM ANALYZE stations_facility")


def exact_max_cover(covers: dict, weight: list[float], n: int, incumbent: float = 0.0):
    """The best coverage any n candidates reach: branch and bound, for checking the greedy.

    Each node branches on the candidate with the largest marginal gain: take it, or rule it
    out. A node is cut when what it has plus the `left` largest marginal gains still available
    cannot beat the best found; coverage is submodular, so that sum is an upper bound. Starting
    from the greedy value as the incumbent prunes most of the tree. Returns (value, keys).
    """
    best = [incumbent - 1e-9, None]

    def search(pool: list, chosen: list, covered: frozenset, value: float) -> None:
        if value > best[0] + 1e-12:
            best[0], best[1] = value, list(chosen)
        left = n - len(chosen)
        if left == 0:
            return
        gains = sorted(
            ((sum(weight[d] for d in covers[k] if d not in covered), k) for k in pool),
            reverse=True,
        )
        gains = [(g, k) for g, k in gains if g > 1e-12]
        if not gains or value + sum(g for g, _ in gains[:left]) <= best[0] + 1e-9:
            return
        gain, top = gains[0]
        rest = [k for _, k in gains[1:]]
        chosen.append(top)
        search(rest, chosen, covered | set(covers[top]), value + gain)
        chosen.pop()
        search(rest, chosen, covered, value)

    search(list(covers), [], frozenset(), 0.0)
    return best[0], best[1]


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def staff_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-planner", defaults={"is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def fetch(url: str, cookie: str) -> tuple[float, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    t = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        body = response.read()
    return time.perf_counter() - t, body


def bench_api(base: str, cookie: str, repeat: int) -> dict:
    from django.db import connection

    from maps.grid import SCALE_MAX, SCALE_MIN

    params = {"kind": "charging_point", "cell": 500}
    sql_params = {"cell": 500.0, "category": "charging_shortage", "kind": "charging_point",
                  "factor": SCALE_MAX / SCALE_MIN}
    figures: dict = {"anchor": [], "cold": [], "cold_area": [], "exact": [], "cold_night": [],
                     "cold_long": [],
                     "cold_capacity": [], "cold_capacity_night": []}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (" + ANCHOR + ") a", sql_params)
        figures["anchor_cells"] = cursor.fetchone()[0]
        for r in range(repeat):
            # Interleaved so that the machine's noise falls on both alike. Each cold request
            # asks a radius not asked before: nothing cached, the same work.
            t = time.perf_counter()
            cursor.execute(ANCHOR, {"cell": 500.0, "category": "charging_shortage",
                                    "kind": "charging_point"})
            cursor.fetchall()
            figures["anchor"].append(time.perf_counter() - t)
            seconds, body = fetch(f"{base}/api/gaps/?{urlencode({**params, 'radius': 1001 + r})}",
                                  cookie)
            figures["cold"].append(seconds)
            city = urlencode({**params, "radius": 1001 + r, "area": "990100"})
            seconds, _ = fetch(f"{base}/api/gaps/?{city}", cookie)
            figures["cold_area"].append(seconds)
            for name, extra in (("cold_night", {"hours": NIGHT}),
                                ("cold_long", {"hours": LONG_DAY}),
                                ("cold_capacity", {"measure": "capacity"}),
                                ("cold_capacity_night", {"measure": "capacity", "hours": NIGHT})):
                query = urlencode({**params, "radius": 1001 + r, **extra})
                seconds, night_body = fetch(f"{base}/api/gaps/?{query}", cookie)
                figures[name].append(seconds)
                figures[name + "_cells"] = json.loads(night_body)["count"]
            t = time.perf_counter()
            cursor.execute(EXACT, sql_params)
            exact = {(i, j): d for i, j, d in cursor.fetchall()}
            figures["exact"].append(time.perf_counter() - t)
    figures["cells"] = json.loads(body)["count"]
    warm_url = f"{base}/api/gaps/?{urlencode({**params, 'radius': 1000})}"
    fetch(warm_url, cookie)
    figures["warm"] = [fetch(warm_url, cookie)[0] for _ in range(30)]
    whole = f"{base}/api/gaps/?{urlencode({**params, 'radius': 1000, 'page_size': 10000})}"
    fetch(whole, cookie)
    figures["warm_all"], bodies = zip(*[fetch(whole, cookie) for _ in range(10)], strict=True)
    figures["warm_all_bytes"] = len(bodies[0])
    figures["nearest"] = compare_nearest(json.loads(bodies[0])["features"], exact, 1000)
    sites = f"{base}/api/gaps/sites/?{urlencode({**params, 'radius': 1000, 'n': 10})}"
    figures["sites_first"] = fetch(sites, cookie)[0]
    figures["sites_warm"] = [fetch(sites, cookie)[0] for _ in range(10)]
    night_sites = urlencode({**params, "radius": 1000, "n": 50, "hours": NIGHT,
                             "include_extensions": "true"})
    seconds, body = fetch(f"{base}/api/gaps/sites/?{night_sites}", cookie)
    figures["sites_night_first"] = seconds
    figures["sites_night_extensions"] = [
        (f["properties"]["rank"], f["properties"]["newly_covered"])
        for f in json.loads(body)["features"] if f["properties"]["proposal"] == "extension"]
    return figures


def compare_nearest(features: list[dict], exact: dict, radius: float) -> dict:
    """How the service's nearest_m compares with the exact one, cell by cell."""
    served_off, worst, unserved_off, flips = 0, 1.0, 0, 0
    for feature in features:
        i, j = map(int, feature["id"].split(":"))
        true, got = exact[(i, j)], feature["properties"]["nearest_m"]
        if (true > radius) != (feature["properties"]["unmet_demand"] > 0):
            flips += 1
        if abs(got - true) > 0.15:  # the API rounds to 0.1 m
            if true > radius:
                unserved_off += 1
            else:
                served_off += 1
                worst = max(worst, got / true)
    return {"cells": len(features), "served_off": served_off, "worst_ratio": worst,
            "unserved_off": unserved_off, "flips": flips}


def bench_pages(base: str, cookie: str) -> list[tuple[str, float, int]]:
    rows = []
    for path in ("/find/", "/maps/facilities/", "/maps/heatmap/",
                 "/maps/gaps/?kind=charging_point&radius=1000&cell=500",
                 "/maps/facilities/?area=990101", "/maps/heatmap/?area=990101&cell=250"):
        seconds, body = fetch(base + path, cookie)
        rows.append((path, seconds, len(body)))
    return rows


# Small instances (the district, ~10 x 13 km) that the exact search solves in seconds:
# (kind, cell m, radius m, site counts).
SITE_INSTANCES = [
    ("canteen", 1000, 1500, (1, 2, 3, 4, 5)),
    ("canteen", 1000, 2500, (3, 5)),
    ("charging_point", 500, 1000, (3, 5, 7)),
    ("rest_station", 500, 1500, (3, 5)),
]


def spopt_max_cover(covers: dict, weight: list[float], n: int):
    """PySAL spopt's MCLP on the same instance (an integer programme solved by CBC): the covered
    weight, or None without the bench dependencies."""
    try:
        import numpy as np
        import pulp
        from spopt.locate import MCLP
    except ImportError:
        return None
    keys = list(covers)
    # Cost 0 where a candidate covers a cell, 2 elsewhere; a service radius of 1 reads it back.
    cost = np.full((len(weight), len(keys)), 2.0)
    for col, key in enumerate(keys):
        cost[list(covers[key]), col] = 0.0
    model = MCLP.from_cost_matrix(cost, np.array(weight), service_radius=1.0, p_facilities=n)
    model.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
    chosen = [keys[col] for col, var in enumerate(model.fac_vars) if var.value() > 0.5]
    covered = set().union(*(covers[key] for key in chosen)) if chosen else set()
    return sum(weight[d] for d in covered)


def bench_sites() -> list[dict]:
    from maps.gaps import GapQuery, gap_cells
    from maps.sites import candidates, greedy_max_cover
    from stations.models import Area

    district = Area.objects.get(adcode="990101")
    # Imported before the timings (numpy, pandas, geopandas: seconds on the first call).
    with contextlib.suppress(ImportError):
        import spopt.locate  # noqa: F401
    rows = []
    for kind, cell, radius, site_counts in SITE_INSTANCES:
        result = gap_cells(GapQuery(kind=kind, cell=cell, radius=radius, area=district))
        sql_s, pool = timed(candidates, result)
        covers = {(c.i, c.j): c.covers for c in pool}
        weight = [c.unmet_demand for c in result.cells if c.unmet_demand > 0]
        for n in site_counts:
            greedy_s, picks = timed(greedy_max_cover, covers, weight, n)
            greedy = sum(gain for _, gain in picks)
            exact_s, (best, _) = timed(exact_max_cover, covers, weight, n, greedy)
            best = max(best, greedy)
            spopt_s, spopt = timed(spopt_max_cover, covers, weight, n)
            rows.append({"kind": kind, "cell": cell, "radius": radius, "n": n,
                         "candidates": len(pool), "cells": len(weight), "greedy": greedy,
                         "optimum": best, "ratio": greedy / best if best else 1.0,
                         "pairs_ms": sql_s * 1000, "greedy_ms": greedy_s * 1000,
                         "exact_ms": exact_s * 1000, "spopt": spopt,
                         "spopt_ratio": greedy / spopt if spopt else None,
                         "spopt_ms": spopt_s * 1000})
    return rows


def report(api: dict, page_rows: list, site_rows: list, args) -> None:
    anchor, cold = median_ms(api["anchor"]), median_ms(api["cold"])
    cold_area = median_ms(api["cold_area"])
    warm = median_ms(api["warm"])
    print(f"data: {args.n} cases, {args.facilities} facilities in one 51 x 44 km city")
    print(f"grid: 500 m cells, kind charging_point, radius 1000 m: {api['cells']} cells with demand"
          f" (anchor: {api['anchor_cells']})")
    print(f"anchor (raw SQL grid + LATERAL KNN), median of {args.repeat}: {anchor:8.1f} ms")
    print(f"/api/gaps/ cold (first page of 500 cells)      : {cold:8.1f} ms  "
          f"ratio {cold / anchor:.2f}  (target <= 1.2)")
    print(f"/api/gaps/ cold with area=990100 (the city)     : {cold_area:8.1f} ms  "
          f"ratio {cold_area / anchor:.2f}")
    exact = median_ms(api["exact"])
    print(f"raw SQL with nearest exact in every cell        : {exact:8.1f} ms  "
          f"ratio {exact / anchor:.2f}")
    near = api["nearest"]
    print(f"nearest_m vs exact over {near['cells']} cells: unserved cells off {near['unserved_off']},"
          f" unmet flags wrong {near['flips']}; served cells off {near['served_off']}"
          f" ({near['served_off'] / near['cells']:.1%}), at most x{near['worst_ratio']:.3f}")
    print(f"/api/gaps/ warm, median of 30                   : {warm:8.1f} ms  "
          f"p95 {statistics.quantiles(api['warm'], n=20)[-1] * 1000:.1f} ms  (target <= 50)")
    print(f"/api/gaps/ warm, all cells in one page          : {median_ms(api['warm_all']):8.1f} ms  "
          f"{api['warm_all_bytes'] / 1e6:.2f} MB")
    print(f"/api/gaps/sites/ n=10 first (gaps cached)       : {api['sites_first'] * 1000:8.1f} ms; "
          f"warm {median_ms(api['sites_warm']):.1f} ms")
    night, cap = median_ms(api["cold_night"]), median_ms(api["cold_capacity"])
    cap_night = median_ms(api["cold_capacity_night"])
    print(f"/api/gaps/ cold, hours={NIGHT}               : {night:8.1f} ms  "
          f"ratio to cold {night / cold:.2f}  (target <= 1.2); {api['cold_night_cells']} cells")
    print(f"/api/gaps/ cold, measure=capacity               : {cap:8.1f} ms  "
          f"ratio to cold {cap / cold:.2f}; {api['cold_capacity_cells']} cells")
    print(f"/api/gaps/ cold, measure=capacity, hours={NIGHT}: {cap_night:8.1f} ms  "
          f"ratio to cold {cap_night / cold:.2f}")
    long_day = median_ms(api["cold_long"])
    print(f"/api/gaps/ cold, hours={LONG_DAY}               : {long_day:8.1f} ms  "
          f"ratio to cold {long_day / cold:.2f}  (target <= 1.2); {api['cold_long_cells']} cells")
    print(f"/api/gaps/sites/ n=50 hours={NIGHT} with extensions, first: "
          f"{api['sites_night_first'] * 1000:.1f} ms; extensions (rank, newly covered): "
          f"{api['sites_night_extensions']}")
    print("pages (first request):")
    for path, seconds, size in page_rows:
        print(f"  {path:55} {seconds * 1000:8.1f} ms  {size / 1e6:6.3f} MB  (limit 2 MB)")
    print("suggested sites vs the exact optimum (district 990101):")
    print("  kind            cell radius  n  cells cands   greedy  optimum  ratio  pairs ms"
          "  greedy ms  exact ms    spopt  g/spopt  spopt ms")
    for r in site_rows:
        spopt = (f"{r['spopt']:8.0f}    {r['spopt_ratio']:.3f} {r['spopt_ms']:9.1f}"
                 if r["spopt"] is not None else "       -        -         -")
        print(f"  {r['kind']:15} {r['cell']:4} {r['radius']:6} {r['n']:2} {r['cells']:6} "
              f"{r['candidates']:5} "
              f"{r['greedy']:8.0f} {r['optimum']:8.0f}  {r['ratio']:.3f} {r['pairs_ms']:9.1f} "
              f"{r['greedy_ms']:10.2f} {r['exact_ms']:9.1f} {spopt}")
    print(f"  lowest coverage ratio: {min(r['ratio'] for r in site_rows):.3f} (target >= 0.95)")
    with_spopt = [r for r in site_rows if r["spopt"] is not None]
    if with_spopt:
        print(f"  lowest greedy / spopt MCLP: {min(r['spopt_ratio'] for r in with_spopt):.3f}"
              " (target >= 0.95)")
    else:
        print("  spopt MCLP not run: the `bench` dependencies (spopt, pulp) are not installed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="cases")
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None,
                        help=f"default: {BENCH_DB} on DATABASE_URL's server")
    parser.add_argument("--load-only", action="store_true")
    args = parser.parse_args()

    database_url = args.database_url or bench_database_url()
    setup_django(database_url)
    if loaded_counts() != (args.n, args.facilities, args.facilities):
        load(args.n, args.facilities, args.seed)
    bench_hours()
    if args.load_only:
        return
    cookie = staff_cookie()
    # One worker: the cache is per process, so warm requests must reach the same one.
    with gunicorn(database_url, args.port, workers=1, timeout=120) as (base, _):
        api = bench_api(base, cookie, args.repeat)
        page_rows = bench_pages(base, cookie)
    report(api, page_rows, bench_sites(), args)


if __name__ == "__main__":
    main()
