"""Where a case goes: the smallest area containing its point and the union responsible for it.

Intake routes every located case, so this is one SQL statement rather than the two ORM queries of
`Area.objects.containing(point).first().responsible_union()`, which it must always agree with
(tests/cases/test_routing.py checks that). Measured in bench/intake.py: the two ORM queries cost
about 4.8 ms of CPU per intake, this statement about 0.3 ms (and 0.25 ms of PostgreSQL's, prepared).
Same plan as `containing`: point-in-polygon on the subdivided pieces (GiST), then the nearest union
among the area's ancestors, read off its materialised path.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db import connection
from django.utils.translation import gettext_lazy as _

from project.prepared import PreparedStatement
from stations import sql
from stations.models import Area, Union

# A point routed nowhere is refused wherever a case is placed (intake, PATCH, the admin's map).
OUTSIDE_COVERAGE = _("This place is outside the areas this service covers.")


@dataclass(frozen=True)
class Routing:
    area: Area | None
    union: Union | None


# The fields read, as columns (from the models' _meta, which `from_db` below reads them back by).
AREA_COLUMNS = sql.columns(
    Area, ["id", "adcode", "name", "name_en", "level", "parent", "path", "depth"]
)
UNION_COLUMNS = sql.columns(Union, ["id", "area", "name", "name_en", "phone", "address"])
_A = {name: sql.column(Area, name) for name in ("id", "adcode", "path", "depth")}
_UNION_AREA = sql.column(Union, "area")

ROUTE_SQL = f"""
WITH area AS (
    SELECT {", ".join(AREA_COLUMNS)} FROM {sql.AREA}
    WHERE {_A["id"]} IN ({sql.COVERING_AREA_IDS})
    ORDER BY {_A["depth"]} DESC, {_A["adcode"]}
    LIMIT 1
)
SELECT area.*, u.*
FROM area
LEFT JOIN LATERAL (
    SELECT {", ".join(f"u.{c}" for c in UNION_COLUMNS)}, ua.{_A["adcode"]}
    FROM {sql.UNION} u JOIN {sql.AREA} ua ON ua.{_A["id"]} = u.{_UNION_AREA}
    WHERE ua.{_A["adcode"]} = ANY (string_to_array(area.{_A["path"]}, '/'))
    ORDER BY ua.{_A["depth"]} DESC
    LIMIT 1
) u ON true
"""


# Planning this statement cost PostgreSQL more than running it (project.prepared).
ROUTE = PreparedStatement(ROUTE_SQL, ["float8", "float8"])


def route(point: Point) -> Routing:
    """A point outside every area routes nowhere: Routing(None, None)."""
    row = ROUTE.fetchone([point.x, point.y])
    if row is None:
        return Routing(None, None)
    n = len(AREA_COLUMNS)
    area = Area.from_db(connection.alias, AREA_COLUMNS, row[:n])
    union_row, union_adcode = row[n:-1], row[-1]
    if union_row[0] is None:
        return Routing(area, None)
    union = Union.from_db(connection.alias, UNION_COLUMNS, union_row)
    # The union's area as far as a receipt shows it, so reading it costs no query.
    union.area = area if union.area_id == area.id else Area.from_db(
        connection.alias, ["id", "adcode"], [union.area_id, union_adcode]
    )
    return Routing(area, union)
