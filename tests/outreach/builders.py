"""Outreach data built in code."""

from __future__ import annotations

import itertools

from django.contrib.gis.geos import Point

from outreach.creditcode import check_character
from outreach.models import Enterprise
from stations.models import Area, Union

_serial = itertools.count(1)


def code_for(division: str = "330602", serial: int | None = None) -> str:
    """A well-formed credit code: 9 (market regulation) 1 (enterprise), division, org code."""
    n = serial if serial is not None else next(_serial)
    body = f"91{division}MA2{n:06d}"
    return body + check_character(body)


def make_enterprise(area: Area, *, own_union: bool = False, at: Point | None = None,
                    **fields) -> Enterprise:
    if at is None:
        box = area.boundary.extent
        at = Point((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, srid=4326)
    union = None
    if own_union:
        union = Union.objects.create(parent=area.union, name=f"企业工会{next(_serial)}")
    fields.setdefault("name", f"测试企业{next(_serial)}")
    fields.setdefault("credit_code", code_for())
    return Enterprise.objects.create(location=at, union=union, **fields)
