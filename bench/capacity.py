#!/usr/bin/env python
"""Capacity: replay a day's mix of requests against `make run`'s layout at rising rates, and
report the rate at which the 99th percentile latency passes 200 ms.

    .venv/bin/python bench/capacity.py                       # 100,000 facilities, 8 s a step
    .venv/bin/python bench/capacity.py --start 50 --step 50 --seconds 5 --port 8970

The mix (shares of requests; docs/scale.md derives them from a national day):
  search   GET /api/facilities/nearest/?lat&lon&limit=5      (riders looking for a station)
  checkin  GET /api/facilities/<id>/                         (a rider opening the station they
           reach; the service records no check-in, so a visit is this read)
  intake   POST /api/cases/                                  (a worker's case, routed)
  staff    GET /api/cases/?page=1 with a staff session       (union staff working cases)

Load is open-loop: request i of a step is sent at its scheduled moment (Poisson arrivals at the
step's rate) on its own connection, whether or not earlier ones were answered, and its latency
counts from that moment, so a saturated server shows as growing latency instead of a generator
that politely slows down. The generator is Python (asyncio) on the same 2 cores as the server:
it takes a share of the CPU the server could use, so the knee here is a lower bound.

Uses its own database (`waystation_bench_capacity`, or BENCH_CAPACITY_DB) on DATABASE_URL's
server: facilities loaded with bench/nearest.py's COPY, the 50 real areas and their unions as in
bench/intake.py, cases emptied at the start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import gunicorn  # noqa: E402

BENCH_DB = os.environ.get("BENCH_CAPACITY_DB", "waystation_bench_capacity")
MIX = {"search": 0.74, "checkin": 0.235, "staff": 0.02, "intake": 0.005}
P99_LIMIT_MS = 200.0


def prepare(facilities: int) -> tuple[list[int], str]:
    """Facilities, areas, unions, a staff account; returns (facility ids, its session key)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from bench import intake, nearest
    from cases.models import StaffMember
    from stations.models import Facility, Union

    call_command("migrate", verbosity=0)
    nearest.load(facilities)  # first: its TRUNCATE ... CASCADE also empties the cases
    intake.prepare()
    user, _ = get_user_model().objects.get_or_create(
        username="capacity-bench", defaults={"is_staff": True})
    union = Union.objects.get(area__adcode="330000")
    StaffMember.objects.get_or_create(user=user, defaults={"union": union})
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    ids = list(Facility.objects.values_list("id", flat=True)[:5000])
    return ids, session.session_key


def requests_for(count: int, ids: list[int], session: str, seed: int) -> list[tuple[str, bytes]]:
    """(kind, raw HTTP/1.1 request) in the day's mix."""
    from bench.intake import bodies
    from bench.nearest import query_points

    rng = random.Random(seed)
    points = query_points(500, seed)
    cases = bodies(200)
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    made = []
    for i, kind in enumerate(kinds):
        headers = "Host: 127.0.0.1\r\nConnection: close\r\n"
        if kind == "search":
            lon, lat = points[i % len(points)]
            line = f"GET /api/facilities/nearest/?lat={lat:.6f}&lon={lon:.6f}&limit=5 HTTP/1.1"
            body = b""
        elif kind == "checkin":
            line, body = f"GET /api/facilities/{rng.choice(ids)}/ HTTP/1.1", b""
        elif kind == "staff":
            line, body = "GET /api/cases/?page=1 HTTP/1.1", b""
            headers += f"Cookie: sessionid={session}\r\n"
        else:
            case = dict(cases[i % len(cases)], client_token=f"cap-{seed}-{i}")
            body = json.dumps(case, ensure_ascii=False).encode()
            line = "POST /api/cases/ HTTP/1.1"
            headers += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        made.append((kind, f"{line}\r\n{headers}\r\n".encode() + body))
    return made


async def _one(port: int, raw: bytes, scheduled: float, out: list, kind: str) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout=30)
        writer.close()
        status = int(response.split(b" ", 2)[1])
    except (TimeoutError, OSError, ValueError, IndexError):
        status = 0
    out.append((kind, (time.monotonic() - scheduled) * 1000, status))


async def _step(port: int, rate: float, seconds: float, reqs, rng: random.Random) -> list:
    out: list = []
    tasks = []
    start = time.monotonic() + 0.05
    at = start
    i = 0
    while at < start + seconds:
        delay = at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        kind, raw = reqs[i % len(reqs)]
        tasks.append(asyncio.create_task(_one(port, raw, at, out, kind)))
        i += 1
        at += rng.expovariate(rate)
    await asyncio.gather(*tasks)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--start", type=float, default=50, help="first rate, requests/s")
    parser.add_argument("--step", type=float, default=50, help="rate added each step")
    parser.add_argument("--max", type=float, default=2000, help="highest rate tried")
    parser.add_argument("--seconds", type=float, default=8, help="per step")
    parser.add_argument("--mix", default="", help="other shares, e.g. staff=1 for staff reads only")
    args = parser.parse_args()
    if args.mix:
        MIX.clear()
        MIX.update({k: float(v) for k, v in (part.split("=") for part in args.mix.split(","))})

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waystation")
    database_url = urlunparse(urlparse(base_url)._replace(path="/" + BENCH_DB))
    subprocess.run([sys.executable, str(ROOT / "scripts/ensure_db.py"), database_url], check=True)
    from bench.intake import setup_django

    setup_django(database_url)
    ids, session = prepare(args.facilities)
    reqs = requests_for(20_000, ids, session, seed=20261130)
    print(f"mix: {', '.join(f'{k} {v:.1%}' for k, v in MIX.items())}; "
          f"{args.facilities:,} facilities; nginx + gunicorn -w {args.workers}; "
          f"open-loop Poisson arrivals, {args.seconds:g} s a step")
    rng = random.Random(1)
    knee = None
    last_good = None
    with gunicorn(database_url, args.port, args.workers) as (base, _):
        asyncio.run(_step(args.port, 20, 2, reqs, rng))  # warm every worker
        rate = args.start
        while rate <= args.max:
            results = asyncio.run(_step(args.port, rate, args.seconds, reqs, rng))
            latencies = [ms for _, ms, _ in results]
            errors = sum(1 for _, _, status in results if not 200 <= status < 300)
            p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
            by_kind = {k: percentile([ms for kind, ms, _ in results if kind == k], 0.99)
                       for k in MIX if any(kind == k for kind, _, _ in results)}
            served = len(results) / args.seconds
            print(f"  {rate:6.0f}/s offered, {served:6.0f}/s sent: p50 {p50:7.1f} ms, "
                  f"p99 {p99:7.1f} ms ({', '.join(f'{k} {v:.0f}' for k, v in by_kind.items())}),"
                  f" errors {errors}; load average {os.getloadavg()[0]:.1f}", flush=True)
            if p99 > P99_LIMIT_MS or errors > 0.01 * len(results):
                knee = rate
                break
            last_good = rate
            rate += args.step
    if knee is None:
        print(f"p99 stayed within {P99_LIMIT_MS:.0f} ms up to {last_good} req/s")
    else:
        print(f"knee: p99 passes {P99_LIMIT_MS:.0f} ms at {knee:.0f} req/s; "
              f"last rate within it {last_good} req/s")
    from django.db.models import Count

    from cases.models import Case

    print(f"cases stored by the run: {Case.objects.aggregate(n=Count('id'))['n']:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
