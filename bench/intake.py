#!/usr/bin/env python
"""Case intake over HTTP: submissions/s with routing, against /api/ping/ on the same server.

    .venv/bin/python bench/intake.py                          # 3 rounds x 10 s of each endpoint
    .venv/bin/python bench/intake.py --seconds 3 --rounds 1   # quick run while developing

Uses a dedicated database on DATABASE_URL's server (`waystation_bench_intake`): migrates it,
imports the 50 real areas from fixtures/areas.geojson if absent, gives unions to the 3 provinces,
the 4 cities and the 5 seed districts (so most of the other districts' cases walk up to a city's
union), and empties the case tables (TRUNCATE: events are append-only row by row, not to TRUNCATE).

Then, in-process: the median time and the SQL statements of one `cases.intake.submit()`.
Over HTTP: gunicorn with production settings (DEBUG off) on 127.0.0.1:8102, load from wrk with
a Lua script; rounds alternate /api/ping/ (no database) and POST /api/cases/ so both see the same
background load. The POST bodies are realistic: points drawn inside the 43 districts (a quarter
in GCJ-02, as WeChat sends them), one in ten without a location (hotline), half with a unique
client_token (so every intake passes through the idempotency constraint). Afterwards every
submission is checked to be in the database, routed where it had a point.
Target: >= 300 submissions/s on 2 cores. The server is always stopped; each wrk run is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import gunicorn  # noqa: E402

# Its own name per checkout if set, so benchmarks of two branches on one server do not collide.
BENCH_DB = os.environ.get("BENCH_INTAKE_DB", os.environ.get("BENCH_DB", "waystation_bench_intake"))
SEED = 20261123
UNION_AREAS = ["330000", "430000", "110000", "330400", "330600", "330700", "431300",
               "330411", "330602", "330723", "431302", "110105"]
CATEGORIES = ["charging_shortage", "canteen_shortage", "station_shortage", "wage_arrears",
              "labour_contract", "platform_rules", "safety", "other"]
CHANNELS = ["online"] * 6 + ["hotline", "station", "visit", "reception_day"]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    import django

    django.setup()


def prepare() -> None:
    from django.core.management import call_command
    from django.db import connection

    from stations.area_import import import_areas
    from stations.models import Area, Union

    call_command("migrate", verbosity=0)
    if not Area.objects.filter(adcode="110105").exists():
        import_areas(ROOT / "fixtures" / "areas.geojson", commit=True)
    for area in Area.objects.filter(adcode__in=UNION_AREAS):
        Union.objects.get_or_create(area=area, defaults={"name": f"{area.name}总工会"})
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_caseevent, cases_case RESTART IDENTITY CASCADE")


@contextmanager
def notify_worker(database_url: str, port: int):
    """`manage.py notify_worker` beside the server, posting case.created to a receiver here that
    answers 204; yields a function that reports how far the worker got."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from notify.models import Cursor, Delivery, Subscription

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    # prepare() restarted the event ids: the worker starts from the beginning with them.
    Cursor.objects.all().delete()
    Delivery.objects.all().delete()
    Subscription.objects.all().delete()
    Subscription.objects.register(f"http://127.0.0.1:{port}/hook", ["case.created"], None, "b" * 32)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "LOG_LEVEL": "WARNING",
           "EMAIL_URL": "dummy://"}
    worker = subprocess.Popen([sys.executable, "manage.py", "notify_worker"], cwd=ROOT, env=env)

    def lag() -> str:
        delivered = Delivery.objects.filter(status="delivered").count()
        return f"{delivered} of {Delivery.objects.count()} deliveries made by the end of the run"

    try:
        yield lag
    finally:
        worker.terminate()
        worker.wait(30)
        server.shutdown()
        server.server_close()


def district_points(count: int) -> list[tuple[float, float]]:
    """`count` points inside the districts, spread evenly over them (PostGIS, seeded)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_X(p.geom), ST_Y(p.geom) FROM (
                SELECT (ST_Dump(ST_GeneratePoints(
                    boundary, %s, ('x' || substr(md5(adcode), 1, 7))::bit(28)::int + 1
                ))).geom FROM stations_area WHERE level = 'district'
            ) p
            """,
            [max(1, count // 43 + 1)],
        )
        return cursor.fetchall()


def bodies(count: int) -> list[dict]:
    from stations.coords import from_wgs84

    rng = random.Random(SEED)
    points = district_points(count)
    rng.shuffle(points)
    made = []
    for i in range(count):
        body = {
            "category": rng.choice(CATEGORIES),
            "description": f"基准测试诉求 {i}：驿站附近充电桩不够用，晚上排队一小时。",
            "channel": rng.choice(CHANNELS),
            "reporter_phone": f"138{rng.randrange(10**8):08d}",
        }
        if i % 10 == 0:
            # One in ten comes by phone without a point: the district it happened in, named.
            body["area"] = "330411"
        else:
            lon, lat = points[i % len(points)]
            if i % 4 == 0:
                lon, lat = from_wgs84(lon, lat, "gcj02")
                body["crs"] = "gcj02"
            body["lat"], body["lon"] = round(lat, 6), round(lon, 6)
        made.append(body)
    return made


def measure_in_process(sample: list[dict]) -> tuple[float, float, float]:
    """One submit() without HTTP: median wall ms (includes the commit's fsync), mean CPU ms of
    this process, and SQL statements per intake."""
    from django.db import connection

    from cases.intake import submit
    from cases.serializers import CaseIntakeSerializer

    validated = []
    for body in sample:
        serializer = CaseIntakeSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        validated.append(serializer.validated_data)
    statements = []
    timings = []
    cpu_started = time.process_time()
    with connection.execute_wrapper(lambda ex, *a: statements.append(1) or ex(*a)):
        for data in validated:
            started = time.perf_counter()
            submit(**data)
            timings.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_started) / len(validated)
    return statistics.median(timings) * 1000, cpu * 1000, len(statements) / len(validated)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU consumed so far by these processes (from /proc; gone ones count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(server_pid: int) -> tuple[list[int], list[int]]:
    """gunicorn's master and workers; the PostgreSQL backends serving them."""
    from django.db import connection

    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    return [server_pid, *map(int, children)], backends


def cpu_breakdown(sample: list[dict]) -> dict[str, float]:
    """Mean CPU ms of this process for each part of an intake request, in-process."""
    from django.contrib.gis.geos import Point
    from rest_framework.renderers import JSONRenderer

    from cases.intake import submit
    from cases.models import Case
    from cases.routing import route
    from cases.serializers import CaseIntakeSerializer, CaseReceiptSerializer
    from stations.models import Area

    def cpu(fn, items) -> float:
        started = time.process_time()
        for item in items:
            fn(item)
        return (time.process_time() - started) / len(items) * 1000

    def validate(body):
        serializer = CaseIntakeSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    validated = [validate(body) for body in sample]
    points = [Point(b["lon"], b["lat"], srid=4326) for b in sample if "lat" in b and "crs" not in b]

    def orm_route(point):
        area = Area.objects.containing(point).first()
        return area.responsible_union() if area else None

    cases = list(Case.objects.with_places()[: len(sample)])
    return {
        "validation (CaseIntakeSerializer)": cpu(validate, sample),
        "routing, one statement (cases.routing.route)": cpu(route, points),
        "routing, two ORM queries (containing + responsible_union)": cpu(orm_route, points),
        "submit() in all (routing, number, insert case + events)": cpu(
            lambda data: submit(**data), validated
        ),
        "receipt (CaseReceiptSerializer + JSON)": cpu(
            lambda case: JSONRenderer().render(CaseReceiptSerializer(case).data), cases
        ),
    }


POST_SCRIPT = """
local bodies = {%(bodies)s}
local next_id = 1
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end
local n = 0
request = function()
  n = n + 1
  local body = bodies[(n %% #bodies) + 1]
  if n %% 2 == 0 then
    body = string.sub(body, 1, -2) .. ',"client_token":"%(run)s-' .. tid .. '-' .. n .. '"}'
  end
  return wrk.format("POST", "/api/cases/", {["Content-Type"] = "application/json"}, body)
end
"""


def wrk(base: str, seconds: int, connections: int, script: Path | None) -> tuple[float, int]:
    """(requests/s, requests) from wrk; any non-2xx response or socket error fails the run."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s"]
    command += ["-s", str(script), base] if script else [base + "/api/ping/"]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    errors = [line for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    if errors:
        raise RuntimeError(f"wrk saw errors: {errors}")
    lines = out.splitlines()
    rate = float(next(line for line in lines if line.startswith("Requests/sec")).split()[1])
    total = int(next(line for line in lines if "requests in" in line).split()[0])
    return rate, total


def measure_http(database_url, payloads, args) -> dict:
    """Requests/s of each endpoint (medians over rounds) and the CPU each request cost the server
    side (gunicorn and its PostgreSQL backends, from /proc), which the machine's other load
    disturbs far less than the rates."""
    encoded = ",".join(json.dumps(json.dumps(b, ensure_ascii=False), ensure_ascii=False)
                       for b in payloads)
    rates = {"ping": [], "intake": [], "floor": []}
    # gunicorn s, PostgreSQL s, requests
    cpu = {"ping": [0.0, 0.0, 0], "intake": [0.0, 0.0, 0], "floor": [0.0, 0.0, 0]}
    submitted = 0
    # The floor (bench/floor.py): the same domain call, cases.intake.submit() with its prepared
    # routing and INSERT statements, behind a bare WSGI app served the same way, on port + 10.
    with gunicorn(database_url, args.port, args.workers) as (base, server_pid), \
            gunicorn(database_url, args.port + 10, args.workers,
                     app="bench.floor:application") as (floor, floor_pid), \
            tempfile.TemporaryDirectory() as tmp:
        request = urllib.request.Request(
            base + "/api/cases/", data=json.dumps(payloads[1]).encode(),
            headers={"Content-Type": "application/json"},
        )
        reply = json.loads(urllib.request.urlopen(request).read())
        assert reply["area"] and reply["assigned_union"] and reply["due_at"], reply
        submitted += 1

        def script(run: str) -> Path:
            path = Path(tmp) / f"{run}.lua"
            path.write_text(POST_SCRIPT % {"bodies": encoded, "run": run}, encoding="utf-8")
            return path

        wrk(base, 2, args.connections, None)  # warm every worker and its connection
        submitted += wrk(base, 2, args.connections, script("warm"))[1]
        submitted += wrk(floor, 2, args.connections, script("floor-warm"))[1]
        pids = {"project": server_pids(server_pid), "floor": server_pids(floor_pid)}

        def measured(name: str, lua: Path | None) -> int:
            workers, backends = pids["floor" if name == "floor" else "project"]
            before = cpu_seconds(workers), cpu_seconds(backends)
            rate, total = wrk(floor if name == "floor" else base, args.seconds,
                              args.connections, lua)
            cpu[name][0] += cpu_seconds(workers) - before[0]
            cpu[name][1] += cpu_seconds(backends) - before[1]
            cpu[name][2] += total
            rates[name].append(rate)
            return total

        for round_ in range(args.rounds):  # interleaved: both see the same background load
            measured("ping", None)
            submitted += measured("intake", script(f"r{round_}"))
            submitted += measured("floor", script(f"f{round_}"))
    print(f"    rounds, submissions/s: project {[round(r) for r in rates['intake']]}, floor "
          f"{[round(r) for r in rates['floor']]}; load average {os.getloadavg()[0]:.1f}")
    return {
        "ping": statistics.median(rates["ping"]),
        "intake": statistics.median(rates["intake"]),
        "floor": statistics.median(rates["floor"]),
        **{
            f"{name}_{part}_ms": cpu[name][i] / cpu[name][2] * 1000
            for name in cpu for i, part in enumerate(["gunicorn", "postgres"])
        },
        "submitted": submitted,
    }


def check_written(submitted: int, slack: int) -> str:
    from django.db.models import Count, Q

    from cases.models import Case, CaseEvent

    counts = Case.objects.aggregate(
        cases=Count("id"),
        located=Count("id", filter=Q(location__isnull=False)),
        routed=Count("id", filter=Q(location__isnull=False, assigned_union__isnull=False)),
    )
    # wrk counts the responses it read; requests still in flight when it stops are answered and
    # stored too, at most one per connection and run.
    if not submitted <= counts["cases"] <= submitted + slack:
        raise RuntimeError(f"{submitted} submissions answered but {counts['cases']} cases stored")
    if counts["routed"] != counts["located"]:
        raise RuntimeError(f"only {counts['routed']} of {counts['located']} located cases routed")
    events = CaseEvent.objects.count()
    return (f"{counts['cases']:,} cases stored, {counts['routed']:,} routed by location, "
            f"{events:,} events")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bodies", type=int, default=2000, help="distinct request bodies")
    parser.add_argument("--port", type=int, default=8102)
    # As `make run` serves: gunicorn's recommended 2 x cores + 1 sync workers. Intake waits on
    # each commit's WAL flush, so with only as many workers as the CPUs can keep busy the CPUs idle.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seconds", type=int, default=10, help="per HTTP measurement")
    parser.add_argument("--rounds", type=int, default=3, help="HTTP measurements of each endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--with-notify", action="store_true",
        help="run the notify worker beside the server, delivering case.created to a local "
        "receiver on --port + 2 (what `make run` does in production)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed (apt-get install wrk)", file=sys.stderr)
        return 2

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waystation")
    database_url = urlunparse(urlparse(base_url)._replace(path="/" + BENCH_DB))
    subprocess.run([sys.executable, str(ROOT / "scripts/ensure_db.py"), database_url], check=True)
    setup_django(database_url)
    prepare()
    payloads = bodies(args.bodies)

    from cases.models import Case

    median_ms, cpu_ms, statements = measure_in_process(payloads[:300])
    print(f"(a) in-process cases.intake.submit(): median {median_ms:.2f} ms wall, "
          f"{cpu_ms:.2f} ms CPU, {statements:.2f} SQL statements per intake")
    for part, ms in cpu_breakdown(payloads[300:600]).items():
        print(f"    CPU {ms:6.2f} ms  {part}")
    in_process = Case.objects.count()

    with notify_worker(database_url, args.port + 2) if args.with_notify else nullcontext() as lag:
        http = measure_http(database_url, payloads, args)
    if args.with_notify:
        print(f"    notify worker: {lag()} (case.created webhook to 127.0.0.1:{args.port + 2})")
    ping, intake = http["ping"], http["intake"]
    print(f"(b) HTTP (wrk, gunicorn -w {args.workers}, {args.connections} connections, median of "
          f"{args.rounds} x {args.seconds} s): POST /api/cases/ {intake:.0f} submissions/s, "
          f"/api/ping/ {ping:.0f} req/s")
    print(f"    intake/floor = {intake / http['floor']:.2f} (floor: bench/floor.py, "
          f"{http['floor']:.0f} submissions/s; server CPU per intake project "
          f"{http['intake_gunicorn_ms'] + http['intake_postgres_ms']:.2f} ms, floor "
          f"{http['floor_gunicorn_ms'] + http['floor_postgres_ms']:.2f} ms)")
    print(f"    intake/ping = {intake / ping:.2f};  {intake:.0f} submissions/s "
          f"(target >= 300: {'met' if intake >= 300 else 'NOT met'})")
    cores = os.cpu_count() or 1
    intake_cpu = http["intake_gunicorn_ms"] + http["intake_postgres_ms"]
    print(f"(c) server CPU per request: intake {intake_cpu:.2f} ms "
          f"(gunicorn {http['intake_gunicorn_ms']:.2f} + PostgreSQL "
          f"{http['intake_postgres_ms']:.2f}), ping {http['ping_gunicorn_ms']:.2f} ms; "
          f"ceiling on {cores} idle cores {cores * 1000 / intake_cpu:.0f} submissions/s "
          f"before the load generator's share")
    # wrk stops with requests in flight, one per connection and run: warm-ups and both series.
    slack = args.connections * (2 * args.rounds + 2)
    print("    " + check_written(in_process + http["submitted"], slack))
    return 0


if __name__ == "__main__":
    sys.exit(main())
