"""Data built in code for tests: tiny hand-made areas and facilities.

Shared by every test package; add new builders at the end rather than changing these.
"""

from __future__ import annotations

import itertools

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from stations.models import Area, AreaLevel, Facility, FacilityKind, Union

_codes = itertools.count(900001)


def square(lon: float, lat: float, size: float) -> MultiPolygon:
    """A square of `size` degrees with its south-west corner at (lon, lat)."""
    ring = (
        (lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat),
    )
    return MultiPolygon(Polygon(ring), srid=4326)


def make_area(
    boundary: MultiPolygon,
    *,
    parent: Area | None = None,
    level: str = AreaLevel.DISTRICT,
    adcode: str | None = None,
    name: str | None = None,
    union: bool | str = False,
) -> Area:
    """An area with its path, depth and point-in-polygon pieces ready, optionally with a union."""
    code = adcode or str(next(_codes))
    area = Area.objects.create(
        adcode=code, name=name or f"测试区{code}", level=level, parent=parent, boundary=boundary
    )
    Area.objects.rebuild_paths()
    Area.objects.filter(pk=area.pk).rebuild_pieces()
    area.refresh_from_db()
    if union:
        Union.objects.create(area=area, name=union if isinstance(union, str) else f"{area.name}总工会")
    return area


def make_facility(lon: float, lat: float, **fields) -> Facility:
    fields.setdefault("kind", FacilityKind.REST_STATION)
    fields.setdefault("name", f"驿站 {lon:.4f},{lat:.4f}")
    return Facility.objects.create(location=Point(lon, lat, srid=4326), **fields)
