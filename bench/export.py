"""CSV export memory: the case list's `?format=csv` stays flat however many cases it streams.

    DATABASE_URL=... SECRET_KEY=... .venv/bin/python bench/export.py [--n 1000000] [--keep]

Migrates the database, writes N cases of its own (reference BENCH-…, in one INSERT … SELECT
generate_series: the loader is not what is measured), then streams the export twice, for N/10
and for N cases, through the view a superuser calls (`GET /api/cases/?format=csv`, Django's
test client, whose streaming response is consumed piece by piece, never joined). Prints, for
each, the rows and megabytes written, the seconds taken, the peak of Python's allocations
during the streaming (tracemalloc) and the growth of the process's resident memory. Flat means:
the peak does not grow with N. The bench cases are deleted afterwards unless --keep.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from cases.models import Case  # noqa: E402

PREFIX = "BENCH-"


def status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak_rss() -> None:
    # Linux: writing 5 to clear_refs resets VmHWM, the peak resident size, to the current one.
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def load(n: int) -> None:
    """N cases in one statement; descriptions that start with '=' exercise the neutralising."""
    table = Case._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE reference LIKE %s", [PREFIX + "%"])
        cursor.execute(
            f"""
            INSERT INTO {table} (reference, category, description, channel, location,
                location_source, address, status, transferred_to, response_due_at, due_at,
                reopen_count, reporter_name, reporter_phone, tracking_token, rating_comment,
                resolution, is_demo, created_at, updated_at)
            SELECT %s || g, 'other', '=HYPERLINK(' || g || ') 骑手反映休息点不足', 'online',
                ST_SetSRID(ST_MakePoint(116 + random(), 39.5 + random()), 4326), 'gps',
                '朝阳区某路' || g || '号', 'received', '', now(), now() + interval '7 days', 0,
                '', '', md5(g::text), '', '', false,
                now() - (g || ' seconds')::interval, now()
            FROM generate_series(1, %s) g
            """,
            [PREFIX, n],
        )


def measure(client: Client, since: str, trace: bool) -> dict:
    if trace:
        tracemalloc.start()
    reset_peak_rss()
    before = status_mb("VmRSS")
    started = time.perf_counter()
    response = client.get("/api/cases/", {"format": "csv", "since": since})
    assert response.status_code == 200 and response.streaming
    size = rows = 0
    for piece in response.streaming_content:
        size += len(piece)
        rows += piece.count(b"\n")
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    return {
        "rows": rows - 1, "mb": size / 2**20, "seconds": seconds,
        "peak_mb": peak / 2**20, "rss_peak_growth_mb": status_mb("VmHWM") - before,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--trace", action="store_true",
        help="also trace Python's allocations (tracemalloc: exact, but about 3 x slower)",
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    setup_test_environment()  # the test client's host checks
    started = time.perf_counter()
    load(args.n)
    print(f"loaded {args.n} cases in {time.perf_counter() - started:.1f} s")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-export", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    # `since` selects the newest N/10 (created one second apart), then all N.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(created_at) FROM (SELECT created_at FROM {Case._meta.db_table} "
            "WHERE reference LIKE %s ORDER BY created_at DESC LIMIT %s) t",
            [PREFIX + "%", args.n // 10],
        )
        tenth = cursor.fetchone()[0]
    try:
        measure(client, "2100-01-01T00:00:00Z", trace=False)  # warm up: imports, first query
        for label, since in (("N/10", tenth.isoformat()), ("N", "2000-01-01T00:00:00Z")):
            result = measure(client, since, args.trace)
            traced = f"Python peak {result['peak_mb']:.1f} MB, " if args.trace else ""
            print(
                f"{label:>4}: {result['rows']} rows, {result['mb']:.1f} MB in "
                f"{result['seconds']:.1f} s ({result['rows'] / result['seconds']:.0f} rows/s); "
                f"{traced}peak RSS growth {result['rss_peak_growth_mb']:.1f} MB"
            )
    finally:
        if not args.keep:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {Case._meta.db_table} WHERE reference LIKE %s", [PREFIX + "%"]
                )


if __name__ == "__main__":
    main()
