"""Point-in-polygon: the project's area lookup against a raw ST_Covers on whole polygons.

    DATABASE_URL=... SECRET_KEY=... .venv/bin/python bench/areas.py [--n 100000] [--seed 1]

Migrates the database and loads fixtures/areas.geojson if it has no areas, then looks up N random points drawn
inside the areas' extent, twice each: once through `Area.objects.containing()` (subdivided pieces,
the ORM, the full Python path) and once as one raw SQL statement over the unsubdivided boundaries
(`ST_Covers(boundary, point)` with the boundary's GiST index). Prints the per-lookup medians and
their ratio; both answers are checked to agree.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.contrib.gis.geos import Point  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from stations.area_import import import_areas  # noqa: E402
from stations.models import Area  # noqa: E402

RAW_PIECES = """
    SELECT adcode FROM stations_area WHERE id IN (
        SELECT area_id FROM stations_areapiece
        WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)))
    ORDER BY depth DESC, adcode
"""
RAW = """
    SELECT adcode FROM stations_area
    WHERE ST_Covers(boundary, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
    ORDER BY depth DESC, adcode
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)  # a fresh database (as `make bench` gives) has no tables
    if not Area.objects.exists():
        import_areas(ROOT / "fixtures" / "areas.geojson", commit=True)
    with connection.cursor() as cursor:
        # Where workers are: uniform points in the bounding boxes of the districts.
        cursor.execute(
            "SELECT ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)"
            " FROM stations_area WHERE level = 'district' ORDER BY adcode"
        )
        boxes = cursor.fetchall()
        cursor.execute(
            "SELECT max(ST_NPoints(boundary)),"
            " (SELECT max(ST_NPoints(geom)) FROM stations_areapiece) FROM stations_area"
        )
        biggest, biggest_piece = cursor.fetchone()

    rng = random.Random(args.seed)
    points = []
    for _ in range(args.n):
        xmin, ymin, xmax, ymax = rng.choice(boxes)
        points.append((rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)))

    def ours(lon, lat):
        return list(Area.objects.containing(Point(lon, lat, srid=4326)).values_list("adcode", flat=True))

    def raw_sql(statement):
        def run(lon, lat):
            cursor.execute(statement, [lon, lat])
            return [row[0] for row in cursor.fetchall()]
        return run

    with connection.cursor() as cursor:
        contenders = {"project": ours, "pieces": raw_sql(RAW_PIECES), "whole": raw_sql(RAW)}
        times = {name: [] for name in contenders}
        hits = 0
        for i, (lon, lat) in enumerate(points):
            answers = {}
            names = list(contenders)
            rng.shuffle(names)  # so caches and noise fall on all alike
            for name in names:
                t = time.perf_counter()
                answers[name] = contenders[name](lon, lat)
                times[name].append(time.perf_counter() - t)
            if len({tuple(a) for a in answers.values()}) != 1:
                raise SystemExit(f"answers differ at {lon},{lat}: {answers}")
            hits += bool(answers["whole"])
            if i and i % 20000 == 0:
                print(f"  {i} lookups done", file=sys.stderr)

    ms = {name: statistics.median(values) * 1000 for name, values in times.items()}
    p95 = {name: statistics.quantiles(values, n=20)[-1] * 1000 for name, values in times.items()}
    print(f"areas: {Area.objects.count()}, largest boundary {biggest} vertices, "
          f"largest piece {biggest_piece}")
    print(f"lookups: {args.n} points in district bounding boxes, {hits} inside some area (all agree)")
    labels = {
        "project": "project lookup, Area.objects.containing() via the ORM",
        "pieces": "raw SQL on the subdivided pieces",
        "whole": "raw ST_Covers on the whole polygons",
    }
    for name, label in labels.items():
        print(f"{label:<55} median {ms[name]:.3f} ms, p95 {p95[name]:.3f} ms")
    print(f"ratio project/whole: {ms['project'] / ms['whole']:.2f}")
    print(f"ratio pieces/whole:  {ms['pieces'] / ms['whole']:.2f}  (the index structure alone, no ORM)")


if __name__ == "__main__":
    main()
