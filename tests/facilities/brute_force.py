"""The reference the nearest search is held to: every row ranked by geodesic distance.

A different path from `stations.nearest` on purpose: the ORM's vocabulary (`open_at`,
`with_amenities`) for the filters and a full scan with `ST_Distance(geography)` for the order.
"""

from __future__ import annotations

from django.contrib.gis.geos import Point

from stations.models import Facility
from stations.nearest import GeodesicDistance


def ranked(point: Point, queryset=None):
    queryset = Facility.objects.in_service() if queryset is None else queryset
    return queryset.annotate(metres=GeodesicDistance("location", point)).order_by("metres", "pk")


def nearest_ids(point: Point, k: int, radius: float | None = None, queryset=None) -> list[int]:
    rows = ranked(point, queryset)
    if radius is not None:
        rows = rows.filter(metres__lte=radius)
    return list(rows.values_list("pk", flat=True)[:k])


def degree_ids(point: Point, k: int) -> list[int]:
    """What a plain `ORDER BY location <-> pt` would answer (degrees, not metres)."""
    from django.contrib.gis.db.models.functions import GeometryDistance

    return list(
        Facility.objects.in_service()
        .order_by(GeometryDistance("location", point), "pk")
        .values_list("pk", flat=True)[:k]
    )
