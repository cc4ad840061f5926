"""Map pages and the gap API. Parameters are read by `maps.params`, the work is done by
`maps.gaps`, `maps.sites` and `maps.pages`; these views only connect them."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.gzip import gzip_page
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAdminUser
from rest_framework.renderers import JSONRenderer

from cases.models import StaffMember
from maps import pages
from maps.capacity import CapacityCell, cached_capacity_cells
from maps.forms import FacilityMapForm, FilterForm, GapForm, HeatmapForm
from maps.gaps import CACHE_SECONDS, GapCell, GapQuery, TooManyCells, cached_gap_cells
from maps.grid import cell_rings
from maps.params import (
    FacilityMapParamsSerializer,
    GapCellsParamsSerializer,
    GapParamsSerializer,
    HeatmapParamsSerializer,
    SitesParamsSerializer,
)
from maps.serializers import (
    CapacityCellSerializer,
    GapCellSerializer,
    GapPagination,
    SiteSerializer,
)
from maps.sites import cached_sites
from maps.window import PRESETS
from stations.models import Amenity, Area, AreaLevel, FacilityKind

AREA_CHOICES_LEVELS = [AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.DISTRICT]


class CachedFeaturePageView(GenericAPIView):
    """A page of a FeatureCollection computed from a gap query, cached as rendered JSON.

    The analysis itself is cached (maps.gaps); caching the rendered page too keeps a repeated
    request from re-serialising up to 10,000 polygons: it then costs the session lookup, the
    data fingerprint and a cache read. The key holds the full URL (with `page`, `page_size`
    and the host of the `next` links) and the data fingerprint.
    """

    permission_classes = [IsAdminUser]
    pagination_class = GapPagination
    params_class: type[GapParamsSerializer]

    def get(self, request) -> HttpResponse:
        params = self.params_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.to_query()
        key = query.cache_key(type(self).__name__, request.build_absolute_uri())
        body = cache.get(key)
        if body is None:
            try:
                data = self.page_data(query, params.validated_data)
            except TooManyCells as exc:
                raise serializers.ValidationError({"cell": [str(exc)]}) from None
            body = JSONRenderer().render(data)
            cache.set(key, body, CACHE_SECONDS)
        return HttpResponse(body, content_type="application/json")

    # Each subclass defines `page_data(query, params) -> dict`: the page before rendering.
    page_data: Callable[[GapQuery, dict], dict]


@extend_schema(
    parameters=[GapCellsParamsSerializer],
    responses={200: OpenApiResponse(description="FeatureCollection of grid cells, worst first, "
                                                "with `demand`, `nearest_m`, `unmet_demand`; "
                                                "with measure=capacity `ratio_2sfca`, "
                                                "`ratio_e2sfca`, `exceeds_supply`")},
)
class GapCellsView(CachedFeaturePageView):
    """Coverage gaps: demand per equal-area grid cell and the distance to the nearest facility,
    or (measure=capacity) the supply per demand in reach."""

    params_class = GapCellsParamsSerializer
    serializer_class = GapCellSerializer

    def page_data(self, query: GapQuery, params: dict) -> dict:
        if params["measure"] == "capacity":
            result, cell_type = cached_capacity_cells(query), CapacityCell
            serializer = CapacityCellSerializer
        else:
            result, cell_type, serializer = cached_gap_cells(query), GapCell, GapCellSerializer
        page = [cell_type._make(row) for row in self.paginate_queryset(result.rows)]
        keys = [(cell.i, cell.j) for cell in page]
        rings = dict(zip(keys, cell_rings(query.cell, keys), strict=True))
        features = serializer(page, many=True, context={"rings": rings}).data
        return self.get_paginated_response(
            {"features": features, "summary": result.summary()}
        ).data


@extend_schema(
    parameters=[SitesParamsSerializer],
    responses={200: OpenApiResponse(description="FeatureCollection of suggested sites in order, "
                                                "with `newly_covered` and `cumulative_share`")},
)
class GapSitesView(CachedFeaturePageView):
    """Suggested new sites: n cell centres that newly cover the most unmet demand (greedy MCLP)."""

    params_class = SitesParamsSerializer
    serializer_class = SiteSerializer

    def page_data(self, query: GapQuery, params: dict) -> dict:
        suggestion = cached_sites(query, params["n"], params["include_extensions"])
        features = self.get_serializer(self.paginate_queryset(suggestion.sites), many=True).data
        return self.get_paginated_response(
            {"features": features, "summary": suggestion.summary()}
        ).data


def _area_choices():
    """Areas offered in the forms' area list (down to districts; towns can still be typed)."""
    return Area.objects.filter(level__in=AREA_CHOICES_LEVELS).only("adcode", "name", "name_en")[:1000]


def _page(
    request, template: str, nav: str, params, build, form: FilterForm, **context
) -> HttpResponse:
    """Render a map page: `build(params)` when the parameters are valid, else their errors
    (status 400, the form shown again as typed)."""
    page = map_parts = None
    errors = {}
    if params.is_valid():
        try:
            page = build(params)
            map_parts = page.parts
        except TooManyCells as exc:
            errors = {"cell": [str(exc)]}
    else:
        errors = _flat_errors(params.errors)
    # Each message under the label of its input, in the page's language.
    shown = [
        (form.fields[name].label if name in form.fields else name, message)
        for name, messages in errors.items() for message in messages
    ]
    return render(request, template, {
        "nav": nav, "page": page, "map": map_parts, "errors": shown, "form": form,
        "labels": pages.map_labels(), "areas": _area_choices(), **context,
    }, status=400 if errors else 200)


def _flat_errors(errors: dict) -> dict[str, list[str]]:
    """Field -> messages, with a list field's per-item errors ({0: [...]}) flattened."""
    flat = {}
    for name, messages in errors.items():
        if isinstance(messages, dict):
            messages = [f"#{index + 1}: {m}" for index, ms in messages.items() for m in ms]
        flat[name] = [str(m) for m in messages]
    return flat


def find(request) -> HttpResponse:
    """Phone-sized nearest search for riders; the browser calls the nearest API (find.js)."""
    return render(request, "maps/find.html", {
        "nav": "find", "kinds": FacilityKind.choices, "amenities": Amenity.choices,
        "config": pages.find_config(), "labels": pages.map_labels(),
    })


# The folium pages run to hundreds of kilobytes of GeoJSON (575 KB for the national facility
# map) that compress about tenfold. gzip_page adds Django's BREACH mitigation (random padding).
@gzip_page
def facility_map(request) -> HttpResponse:
    params = FacilityMapParamsSerializer(data=request.GET)
    return _page(request, "maps/facilities.html", "facilities", params,
                 lambda p: pages.facility_map(**p.validated_data), FacilityMapForm(request.GET))


@gzip_page
@staff_member_required
def heatmap(request) -> HttpResponse:
    """Opens on the staff member's own jurisdiction (an empty `area` asks for every area)."""
    data = request.GET.copy()
    union = StaffMember.union_of(request.user)
    if "area" not in data and union is not None:
        data["area"] = union.area.adcode
    params = HeatmapParamsSerializer(data=data)
    return _page(request, "maps/heatmap.html", "heatmap", params,
                 lambda p: pages.heatmap(**p.validated_data), HeatmapForm(data),
                 jurisdiction=union.area if union is not None else None)


@gzip_page
@staff_member_required
def gap_map(request) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("kind", GapForm.defaults["kind"])
    params = SitesParamsSerializer(data=data)
    return _page(request, "maps/gaps.html", "gaps", params,
                 lambda p: pages.gap_map(p.to_query(), p.validated_data["n"],
                                         p.validated_data["include_extensions"]),
                 GapForm(data), presets=PRESETS)
