"""Small helpers for the case tests: points inside real areas, API calls, intake without HTTP."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point
from django.urls import reverse

from cases.intake import submit
from cases.models import Case, Category, Channel
from stations.models import Area


def inside(area: Area) -> Point:
    """A point PostGIS guarantees to be inside the area's boundary."""
    return Area.objects.annotate(p=PointOnSurface("boundary")).get(pk=area.pk).p


def post_case(api, **data):
    data.setdefault("category", Category.OTHER)
    data.setdefault("description", "骑手休息点不足 not enough places to rest")
    return api.post(reverse("cases:case-list"), data, format="json")


def new_case(point: Point | None = None, **fields) -> Case:
    """A case through intake (routing, reference, events), without HTTP."""
    fields.setdefault("category", Category.OTHER)
    fields.setdefault("description", "测试 test")
    fields.setdefault("channel", Channel.ONLINE)
    case, _ = submit(point=point, location_source="gps" if point else "", **fields)
    return case


def act(api, case: Case, action: str, **data):
    url = reverse("cases:case-transitions", args=[case.reference])
    return api.post(url, {"action": action, **data}, format="json")


def detail_url(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.reference])
