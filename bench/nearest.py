#!/usr/bin/env python
"""Nearest-facility benchmark: exactness, query cost, and HTTP throughput against a baseline.

    .venv/bin/python bench/nearest.py            # 1,000,000 facilities
    .venv/bin/python bench/nearest.py --n 50000  # quick run while developing

Loads `--n` synthetic facilities with COPY into a dedicated database (DATABASE_URL's server, database
`waystation_bench_nearest`; reused while it already holds the same rows), then prints:

  (a) raw SQL: KNN `<->` LIMIT 50 then re-ranked by ellipsoidal metres, median latency;
  (b) the project's query, `Facility.objects.nearest(point, 5)`, median latency;
  (c) requests/s of /api/facilities/nearest/ and of /api/ping/ (no database) as `make run` serves
      them (nginx + gunicorn, production settings, DEBUG off) on 127.0.0.1:8101, and of the floor:
      `bench.floor`, a bare WSGI app running the project's own nearest SQL and pool rule, served
      the same way on 8111; load from wrk (or a Python generator), rounds interleaved;
  then b/a, project/floor, c/ping and recall@5 of (b) and of a plain degree KNN against a
  brute-force geodesic ranking of the whole table. Targets: b/a <= 2.0, recall 1.0,
  project/floor >= 0.8.

Every figure is a ratio to a baseline measured in the same run, because the machine is shared.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import gunicorn  # noqa: E402

# Its own name per checkout if set, so benchmarks of two branches on one server do not collide.
BENCH_DB = os.environ.get("BENCH_NEAREST_DB", "waystation_bench_nearest")
SEED = 20261123

# Where riders are: weight, centre (lon, lat), spread in degrees. Includes the far north (Mohe,
# 53°N), where degree and metre rankings disagree most.
CITIES = [
    (12, 116.40, 39.90, 0.25),  # Beijing
    (10, 121.47, 31.23, 0.25),  # Shanghai
    (8, 113.26, 23.13, 0.2),  # Guangzhou
    (8, 114.06, 22.54, 0.15),  # Shenzhen
    (6, 104.07, 30.67, 0.2),  # Chengdu
    (6, 114.30, 30.59, 0.2),  # Wuhan
    (6, 120.16, 30.27, 0.2),  # Hangzhou
    (4, 108.94, 34.34, 0.2),  # Xi'an
    (4, 126.63, 45.75, 0.2),  # Harbin
    (3, 87.62, 43.83, 0.2),  # Urumqi
    (2, 122.54, 52.97, 0.3),  # Mohe
    (3, 102.83, 24.88, 0.2),  # Kunming
    (3, 120.75, 30.75, 0.1),  # Jiaxing
]
UNIFORM_SHARE = 0.15  # the rest spread over the whole country box
CHINA_BOX = (75.0, 18.0, 135.0, 53.5)
HOURS = ["24/7"] * 6 + [
    "Mo-Fr 08:00-20:00; Sa,Su 10:00-16:00",
    "06:00-22:00",
    "Mo-Su 18:00-02:00",
    "Mo-Fr 07:00-11:00,16:00-24:00",
    "Mo-Sa 09:00-21:00",
]
AMENITIES = [
    ("drinking_water", 0.8), ("microwave", 0.5), ("phone_charging", 0.7), ("toilet", 0.6),
    ("seating", 0.7), ("heating", 0.4), ("air_conditioning", 0.5), ("first_aid", 0.3),
    ("counselling", 0.05), ("legal_aid", 0.03), ("wifi", 0.5), ("repair_tools", 0.2),
    ("lockers", 0.2),
]
STATUSES = ["open"] * 17 + ["temporarily_closed", "closed", "planned"]
KINDS = ["rest_station"] * 5 + ["canteen"] * 2 + ["charging_point"] * 3


def bench_database_url(base_url: str) -> str:
    parts = urlparse(base_url)
    return urlunparse(parts._replace(path="/" + BENCH_DB))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    import django

    django.setup()


def random_location(rng: random.Random) -> tuple[float, float]:
    if rng.random() < UNIFORM_SHARE:
        return rng.uniform(CHINA_BOX[0], CHINA_BOX[2]), rng.uniform(CHINA_BOX[1], CHINA_BOX[3])
    _, lon, lat, spread = rng.choices(CITIES, weights=[c[0] for c in CITIES])[0]
    return rng.gauss(lon, spread), rng.gauss(lat, spread * 0.8)


def facility_rows(n: int, rng: random.Random):
    """Yield CSV lines for COPY; consistent with the model's check constraints."""
    from stations.hours import parse_hours

    minutes = {}
    for text in set(HOURS):
        hours = parse_hours(text)
        ranges = "{" + ",".join(f"[{s},{e})" for s, e in hours.minute_ranges) + "}"
        # An unquoted empty CSV field is NULL; a quoted one would be an empty string.
        minutes[text] = (hours.text, hours.always_open, "" if hours.always_open else f'"{ranges}"')
    now = "2026-01-01 00:00:00+08"
    for i in range(n):
        lon, lat = random_location(rng)
        kind = rng.choice(KINDS)
        text, always, ranges = minutes[rng.choice(HOURS)]
        amenities = "{" + ",".join(a for a, p in AMENITIES if rng.random() < p) + "}"
        sockets = str(rng.randint(2, 20)) if kind == "charging_point" else ""
        yield (
            f'bench-{i},{kind},"驿站 {i}","",SRID=4326;POINT({lon:.6f} {lat:.6f}),"",'
            f'{rng.choice(STATUSES)},"{amenities}","{text}",{"t" if always else "f"},'
            f'{ranges},{sockets},f,t,{now},{now}\n'
        )


COPY_COLUMNS = (
    "external_id, kind, name, address, location, phone, status, amenities, opening_hours, "
    "open_24h, open_minutes, sockets, battery_swap, is_demo, created_at, updated_at"
)


def load(n: int) -> None:
    """COPY n facilities into an unindexed table, then build the indexes (4x faster than
    inserting into indexed tables). Skipped if the table already holds exactly these rows."""
    from django.db import connection, transaction

    # One transaction: a failed load leaves the table and its indexes as they were.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM stations_facility WHERE external_id = %s",
                    [f"bench-{n - 1}"])
        (has_last,) = cur.fetchone()
        cur.execute("SELECT count(*) FROM stations_facility")
        (count,) = cur.fetchone()
        if count == n and has_last:
            print(f"reusing {n:,} facilities in {BENCH_DB}")
            return
        started = time.perf_counter()
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'stations_facility' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cur.fetchall()
        cur.execute("TRUNCATE stations_facility CASCADE")
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        # Deferred foreign-key checks would leave trigger events that block CREATE INDEX.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        rng = random.Random(SEED)
        rows = facility_rows(n, rng)
        while True:
            chunk = io.StringIO("".join(next(rows, "") for _ in range(100_000)))
            if not chunk.getvalue():
                break
            cur.copy_expert(f"COPY stations_facility ({COPY_COLUMNS}) FROM STDIN WITH CSV", chunk)
        for _, definition in indexes:
            cur.execute(definition)
        cur.execute("ANALYZE stations_facility")
    print(f"loaded {n:,} facilities with COPY in {time.perf_counter() - started:.1f} s")


def query_points(count: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [random_location(rng) for _ in range(count)]


RAW_SQL = """
WITH candidates AS (
    SELECT id, location FROM stations_facility
    WHERE status IN ('open', 'temporarily_closed')
    ORDER BY location <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
    LIMIT 50
)
SELECT id, ST_Distance(location::geography,
                       ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS metres
FROM candidates ORDER BY metres LIMIT 5
"""


def timed(fn, points, repeat: int = 3) -> float:
    """Median seconds of fn(lon, lat) over points, best of `repeat` medians (noise)."""
    medians = []
    for _ in range(repeat):
        samples = []
        for lon, lat in points:
            t0 = time.perf_counter()
            fn(lon, lat)
            samples.append(time.perf_counter() - t0)
        medians.append(statistics.median(samples))
    return min(medians)


def measure_queries(points):
    from django.contrib.gis.geos import Point
    from django.db import connection

    from stations.models import Facility

    def raw(lon, lat):
        with connection.cursor() as cur:
            cur.execute(RAW_SQL, {"lon": lon, "lat": lat})
            return cur.fetchall()

    def project(lon, lat):
        return Facility.objects.nearest(Point(lon, lat, srid=4326), 5)

    for lon, lat in points[:20]:  # warm caches and connections
        raw(lon, lat), project(lon, lat)

    attempts = []

    def count(execute, sql, params, many, context):
        attempts.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for lon, lat in points:
            project(lon, lat)
    return timed(raw, points), timed(project, points), len(attempts) / len(points)


def recall(points, k: int = 5):
    """Share of the brute-force geodesic top k found, for the project and for plain `<->`."""
    from django.contrib.gis.geos import Point
    from django.db import connection

    from stations.models import Facility

    brute_sql = """
        SELECT id FROM stations_facility WHERE status IN ('open', 'temporarily_closed')
        ORDER BY ST_Distance(location::geography,
                             ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography), id
        LIMIT %(k)s
    """
    degrees_sql = """
        SELECT id FROM stations_facility WHERE status IN ('open', 'temporarily_closed')
        ORDER BY location <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) LIMIT %(k)s
    """
    project_hits = degree_hits = same_order = 0
    with connection.cursor() as cur:
        # The brute force is a parallel sequential scan; let it use both cores.
        cur.execute("SET max_parallel_workers_per_gather = 2")
        for lon, lat in points:
            params = {"lon": lon, "lat": lat, "k": k}
            cur.execute(brute_sql, params)
            truth = [row[0] for row in cur.fetchall()]
            cur.execute(degrees_sql, params)
            degree_hits += len(set(truth) & {row[0] for row in cur.fetchall()})
            found = [row["id"] for row in Facility.objects.nearest(
                Point(lon, lat, srid=4326), k)]
            project_hits += len(set(truth) & set(found))
            same_order += found == truth
        cur.execute("RESET max_parallel_workers_per_gather")
    total = k * len(points)
    return project_hits / total, degree_hits / total, same_order / len(points)


def explain(lon: float, lat: float) -> str:
    from django.contrib.gis.geos import Point
    from django.db import connection

    from stations.models import Facility

    captured = []
    with connection.execute_wrapper(lambda ex, sql, p, many, ctx: captured.append((sql, p))
                                    or ex(sql, p, many, ctx)):
        Facility.objects.nearest(Point(lon, lat, srid=4326), 5)
    sql, params = captured[0]
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def cpu_breakdown(points, count: int = 1000) -> dict[str, tuple[float, float]]:
    """CPU seconds per request, (Django process, PostgreSQL backend), calling the WSGI handler
    in-process: where the time of a nearest request goes, next to the ping baseline. Reads the
    backend's CPU from /proc, so PostgreSQL must run on this machine."""
    from django.db import connection

    from project.wsgi import application as app  # as gunicorn serves it: fast lane included
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        (backend,) = cur.fetchone()

    def backend_cpu() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def get(path: str, query: str) -> None:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8101", "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
        }
        statuses = []
        body = app(environ, lambda status, headers, *a: statuses.append(status))
        b"".join(body)
        if hasattr(body, "close"):  # the fast lane answers with a plain list
            body.close()
        assert statuses[0].startswith("200"), statuses

    queries = [f"lat={lat:.6f}&lon={lon:.6f}&limit=5" for lon, lat in points]
    from django.contrib.gis.geos import Point

    from stations.models import Facility

    cases = {
        "/api/ping/": lambda i: get("/api/ping/", ""),
        "/api/facilities/nearest/": lambda i: get("/api/facilities/nearest/",
                                                  queries[i % len(queries)]),
        "Facility.objects.nearest() alone": lambda i: Facility.objects.nearest(
            Point(*points[i % len(points)], srid=4326), 5),
    }
    result = {}
    for name, call in cases.items():
        for i in range(50):
            call(i)
        started, backend_started = time.process_time(), backend_cpu()
        for i in range(count):
            call(i)
        result[name] = ((time.process_time() - started) / count,
                        (backend_cpu() - backend_started) / count)
    return result


# --- HTTP -----------------------------------------------------------------------------------

def wrk(base: str, paths: list[str], seconds: int, connections: int, script_dir: Path) -> float:
    """Requests/s from wrk, cycling through `paths` with a Lua script."""
    script = script_dir / "paths.lua"
    script.write_text(
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n"
    )
    out = subprocess.run(
        # A worker's first request imports the URLconf's views (over a second on a busy machine):
        # wrk's default 2 s timeout would count that as an error.
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(script), base],
        capture_output=True, text=True, check=True,
    ).stdout
    errors = [line for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    if errors:
        raise RuntimeError(f"wrk saw errors: {errors}")
    return float(next(line for line in out.splitlines() if line.startswith("Requests/sec"))
                 .split()[1])


def python_load(base: str, paths: list[str], seconds: int, connections: int) -> float:
    """Fallback load generator: `connections` threads doing sequential GETs."""
    import threading

    done = [0] * connections
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        i = slot
        while time.monotonic() < stop:
            urllib.request.urlopen(base + paths[i % len(paths)], timeout=10).read()
            done[slot] += 1
            i += connections

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


def measure_http(database_url, points, port, workers, seconds, connections, rounds):
    """Medians of req/s: the project's ping and nearest, and the floor's nearest
    (`bench.floor`: the project's SQL and pool rule behind a bare WSGI app), served side by side
    as `make run` serves (the floor on `port + 10`), rounds interleaved."""
    import tempfile

    nearest_paths = [f"/api/facilities/nearest/?lat={lat:.6f}&lon={lon:.6f}&limit=5"
                     for lon, lat in points]
    with (gunicorn(database_url, port, workers) as (base, _),
          gunicorn(database_url, port + 10, workers, app="bench.floor:application") as (floor, _),
          tempfile.TemporaryDirectory() as tmp):
        reply = json.loads(urllib.request.urlopen(base + nearest_paths[0]).read())
        assert reply["type"] == "FeatureCollection" and len(reply["features"]) == 5, reply
        # The same answer, field for field, but is_open_now (judged at each request's moment).
        bare = json.loads(urllib.request.urlopen(floor + nearest_paths[0]).read())
        assert bare == reply, (bare, reply)
        use_wrk = shutil.which("wrk") is not None

        def load_for(server, paths):
            if use_wrk:
                return wrk(server, paths, seconds, connections, Path(tmp))
            return python_load(server, paths, seconds, connections)

        load_for(base, nearest_paths[:50])  # warm every worker's connection and caches
        load_for(floor, nearest_paths[:50])
        ping, near, bare_near = [], [], []
        for _ in range(rounds):  # interleaved, so all three see the same background load
            ping.append(load_for(base, ["/api/ping/"]))
            near.append(load_for(base, nearest_paths))
            bare_near.append(load_for(floor, nearest_paths))
    print(f"    rounds, req/s: project {[round(x) for x in near]}, floor "
          f"{[round(x) for x in bare_near]}, ping {[round(x) for x in ping]}")
    return (statistics.median(ping), statistics.median(near), statistics.median(bare_near),
            "wrk" if use_wrk else "python")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="facilities to load")
    parser.add_argument("--queries", type=int, default=500, help="query points for latency")
    parser.add_argument("--recall-queries", type=int, default=30,
                        help="query points checked against a brute-force scan of the table")
    parser.add_argument("--port", type=int, default=8101)
    # As `make run` serves: gunicorn's recommended 2 x cores + 1 sync workers.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seconds", type=int, default=10, help="per HTTP measurement")
    parser.add_argument("--rounds", type=int, default=3, help="HTTP measurements of each endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waystation")
    database_url = bench_database_url(base_url)
    subprocess.run([sys.executable, str(ROOT / "scripts/ensure_db.py"), database_url], check=True)
    setup_django(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load(args.n)

    points = query_points(args.queries, SEED + 1)
    raw_s, project_s, queries_per_search = measure_queries(points)
    print(f"(a) raw SQL KNN 50 + metre re-rank     median {raw_s * 1000:.3f} ms")
    print(f"(b) Facility.objects.nearest(pt, 5)     median {project_s * 1000:.3f} ms "
          f"({queries_per_search:.3f} SQL statements per search)")
    print(f"    b/a = {project_s / raw_s:.2f}  (target <= 2.0)")

    project_recall, degree_recall, same_order = recall(query_points(args.recall_queries, SEED + 2))
    print(f"recall@5 vs brute-force geodesic ({args.recall_queries} points): "
          f"project {project_recall:.3f} (same order {same_order:.3f}), "
          f"plain <-> by degrees {degree_recall:.3f}  (target 1.0)")
    print("plan of the project's query at Beijing:\n  "
          + explain(116.40, 39.90).replace("\n", "\n  "))

    print("CPU per request, in-process (Django process + PostgreSQL backend):")
    for name, (django_s, postgres_s) in cpu_breakdown(points).items():
        print(f"    {name:34s} {django_s * 1e6:6.0f} us + {postgres_s * 1e6:6.0f} us")

    if not args.no_http:
        ping, near, bare, generator = measure_http(
            database_url, points, args.port, args.workers, args.seconds, args.connections,
            args.rounds,
        )
        print(f"(c) HTTP ({generator}, nginx + gunicorn -w {args.workers}, {args.connections} "
              f"connections, median of {args.rounds} x {args.seconds} s, interleaved): "
              f"/api/facilities/nearest/ {near:.0f} req/s, floor {bare:.0f} req/s, "
              f"/api/ping/ {ping:.0f} req/s")
        print(f"    project/floor = {near / bare:.2f}  (target >= 0.8);  c/ping = {near / ping:.2f}")
        print(f"    load average during the run: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
