"""What the three folium pages draw: plain functions from validated parameters to template context.

Each page aggregates on the server so that it stays under 2 MB with 1M cases and 100k facilities:
cases as grid counts, facilities as individual markers only up to FACILITY_MARKER_LIMIT (else as
per-kind grid clusters with counts), gap cells capped at MAX_DRAWN_CELLS, worst first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import folium
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from maps import render
from maps.gaps import GapQuery, cached_gap_cells, located_cases
from maps.grid import cell_rings, coarse_enough_cell, count_cells
from maps.sites import cached_sites
from stations.models import Amenity, Area, Facility, FacilityKind, FacilityStatus
from stations.serializers import MAX_NEAREST, MAX_RADIUS_M

FACILITY_MARKER_LIMIT = 3000  # ~250 bytes a marker with its popup data and ring
FACILITY_CLUSTER_CELLS = 4000
HEATMAP_MAX_CELLS = 6000  # ~160 bytes a drawn cell
MAX_DRAWN_CELLS = 6000
WORST_CELLS_LISTED = 20
FIND_RESULTS = 10


def map_labels() -> dict:
    """Bilingual labels the browser needs to build popups (passed with json_script)."""
    return {
        "kinds": dict(FacilityKind.choices),
        "amenities": dict(Amenity.choices),
        "statuses": dict(FacilityStatus.choices),
        "colours": render.KIND_COLOURS,
    }


def find_config() -> dict:
    """What /find/'s script needs: the API, the tiles, labels, and where to start the map."""
    return {
        "nearestUrl": reverse("stations:facility-nearest"),
        "tilesUrl": settings.MAP_TILES_URL,
        "tilesAttribution": settings.MAP_TILES_ATTRIBUTION,
        "tilesCrs": settings.MAP_TILES_CRS,
        "labels": {"kinds": dict(FacilityKind.choices), "amenities": dict(Amenity.choices)},
        "limit": FIND_RESULTS,
        "maxLimit": MAX_NEAREST,
        # Beyond this the page says nothing is near and gives the hotline (issue 12).
        "radius": MAX_RADIUS_M,
        # The detail sheet's API (details.js) and the facility page, each followed by an id.
        "detailUrl": reverse("stations:facility-list"),
        "pageUrl": reverse("stations:facility-page", args=[0]).removesuffix("0/"),
        # Upcoming reception days at the place, when the outreach app is there (maps does not
        # import it; the sheet asks its public API).
        "receptionDaysUrl": _optional_url("outreach:reception-day-list"),
        **cache.get_or_set(f"maps:find-start:{settings.MAP_TILES_CRS}", _find_start, 600),
    }


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _find_start() -> dict:
    """The middle of the facilities (else all of China): where a rider picks a point from.
    Cached: an extent over 100k facilities is the only query the page makes."""
    extent = Facility.objects.aggregate(extent=Extent("location"))["extent"]
    if not extent:
        return {"centre": [35.0, 105.0], "zoom": 4}
    lon, lat = render.display_lonlat((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2)
    return {"centre": [lat, lon], "zoom": 11}


def bounds_of(queryset: QuerySet, area: Area | None) -> tuple[float, float, float, float] | None:
    """WGS84 extent to fit the map to: the area's, else the data's."""
    if area is not None:
        return area.boundary.extent
    return queryset.aggregate(extent=Extent("location"))["extent"]


@dataclass
class FacilityMap:
    parts: render.MapParts
    count: int
    cell: int | None  # grid cell of the counts drawn instead of markers, None when markers
    kinds: dict  # kind -> (label, colour), for the legend

    @property
    def clustered_by_grid(self) -> bool:
        return self.cell is not None


def facility_map(
    *, kind: str | None = None, area: Area | None = None, radius: int = 1000,
    now: datetime | None = None,
) -> FacilityMap:
    """Facilities (all but permanently closed) by kind, clustered, with service-radius rings;
    above FACILITY_MARKER_LIMIT, counts per kind and grid cell instead."""
    facilities = Facility.objects.exclude(status=FacilityStatus.CLOSED)
    if kind:
        facilities = facilities.filter(kind=kind)
    if area is not None:
        facilities = facilities.in_area(area)
    count = facilities.count()
    kinds = [k for k in FacilityKind if not kind or k == kind]
    fmap = render.base_map(bounds_of(facilities, area))
    if count <= FACILITY_MARKER_LIMIT:
        _draw_facilities(fmap, facilities, kinds, radius, now or timezone.now())
        cell = None
    else:
        cell = coarse_enough_cell(facilities, 500, FACILITY_CLUSTER_CELLS)
        _draw_facility_counts(fmap, facilities, kinds, cell)
    folium_layer_control(fmap)
    labels = dict(FacilityKind.choices)
    return FacilityMap(
        parts=render.map_parts(fmap), count=count, cell=cell,
        kinds={k: (labels[k], render.KIND_COLOURS[k]) for k in kinds},
    )


def _draw_facilities(fmap, facilities: QuerySet, kinds, radius: int, now: datetime) -> None:
    """A marker-cluster layer per kind (popups built in the browser) and a ring layer per kind,
    switched off until asked for."""
    open_now = Facility.objects.open_at(now).filter(pk=OuterRef("pk"))
    rows = facilities.annotate(is_open=Exists(open_now)).values_list(
        "kind", "name", "address", "phone", "opening_hours", "amenities", "status", "is_open",
        "location",
    )
    by_kind: dict[str, list] = {k: [] for k in kinds}
    for kind, name, address, phone, hours, amenities, status, is_open, location in rows:
        by_kind[kind].append((location.x, location.y, {
            "n": name, "k": kind, "ad": address, "p": phone, "h": hours, "a": amenities,
            "s": status, "o": is_open,
        }))
    labels = dict(FacilityKind.choices)
    for kind, points in by_kind.items():
        cluster = render.marker_cluster(str(labels[kind]))
        render.geojson_layer(
            render.point_collection(points), control=False,
            point_to_layer="waystation.facilityMarker",
            on_each_feature="waystation.bindFacilityPopup",
        ).add_to(cluster)
        cluster.add_to(fmap)
    for kind, points in by_kind.items():
        render.geojson_layer(
            render.point_collection((x, y, {"k": kind}) for x, y, _ in points),
            name=f"服务半径 Service radius {radius} m: {labels[kind]}", show=False,
            point_to_layer=f"waystation.ring({int(radius)})",
        ).add_to(fmap)


def _draw_facility_counts(fmap, facilities: QuerySet, kinds, cell: int) -> None:
    """A layer per kind of bubbles with the number of facilities in each grid cell."""
    cells = count_cells(facilities, cell, group_by="kind")
    labels = dict(FacilityKind.choices)
    for kind in kinds:
        render.geojson_layer(
            render.point_collection((c.lon, c.lat, {"n": c.count}) for c in cells
                                    if c.group == kind),
            name=str(labels[kind]), point_to_layer=f"waystation.countMarker({json.dumps(kind)})",
        ).add_to(fmap)


def folium_layer_control(fmap: folium.Map) -> None:
    folium.LayerControl(collapsed=False).add_to(fmap)


@dataclass
class Heatmap:
    parts: render.MapParts
    cases: int
    cells: int
    cell: int
    requested_cell: int
    legend: list


def heatmap(
    *, area: Area | None = None, since=None, until=None, category=(), cell: int = 500,
) -> Heatmap:
    """Case density as a graduated grid (cases per cell), never one point per case."""
    cases = located_cases(area=area, since=since, until=until, categories=tuple(category))
    chosen = coarse_enough_cell(cases, cell, HEATMAP_MAX_CELLS)
    cells = count_cells(cases, chosen)
    breaks = render.class_breaks([c.count for c in cells])
    legend = render.legend(breaks)
    fmap = render.base_map(bounds_of(cases, area) if cells or area else None)
    render.geojson_layer(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": render.display_polygon(ring),
             "properties": {"n": c.count}}
            for c, ring in zip(cells, cell_rings(chosen, [(c.i, c.j) for c in cells]), strict=True)
        ]},
        name="诉求密度 Case density",
        style=render.graduated_style(breaks, legend, "n"),
        on_each_feature="waystation.bindCountTooltip('n', '件诉求 cases')",
    ).add_to(fmap)
    folium_layer_control(fmap)
    return Heatmap(
        parts=render.map_parts(fmap), cases=sum(c.count for c in cells), cells=len(cells),
        cell=chosen, requested_cell=cell, legend=legend,
    )


@dataclass
class GapMap:
    parts: render.MapParts
    summary: dict
    worst: list
    sites: list
    drawn: int
    legend: list


def gap_map(query: GapQuery, n: int) -> GapMap:
    """Unmet demand as a choropleth, served demand in grey, the suggested sites with their reach."""
    result = cached_gap_cells(query)
    suggestion = cached_sites(query, n)
    drawn = result.cells[:MAX_DRAWN_CELLS]  # worst first
    unmet = [c for c in drawn if c.unmet_demand > 0]
    breaks = render.class_breaks([c.unmet_demand for c in unmet])
    legend = render.legend(breaks)
    bounds = None
    if query.area is not None:
        bounds = query.area.boundary.extent
    elif drawn:
        bounds = (min(c.lon for c in drawn), min(c.lat for c in drawn),
                  max(c.lon for c in drawn), max(c.lat for c in drawn))
    fmap = render.base_map(bounds)

    rings = dict(zip([(c.i, c.j) for c in drawn],
                     cell_rings(query.cell, [(c.i, c.j) for c in drawn]), strict=True))

    def cells_layer(cells, name, style, show=True):
        render.geojson_layer(
            {"type": "FeatureCollection", "features": [
                {"type": "Feature", "geometry": render.display_polygon(rings[(c.i, c.j)]),
                 "properties": {"u": round(c.unmet_demand, 2), "d": round(c.demand, 2),
                                "m": None if c.nearest_m is None else round(c.nearest_m)}}
                for c in cells
            ]},
            name=name, show=show, style=style, on_each_feature="waystation.bindGapTooltip",
        ).add_to(fmap)

    cells_layer([c for c in drawn if c.unmet_demand == 0], "已覆盖的需求 Served demand",
                "waystation.servedStyle")
    cells_layer(unmet, "未满足的需求 Unmet demand", render.graduated_style(breaks, legend, "u"))
    sites = render.point_collection(
        (s.lon, s.lat, {"r": s.rank, "c": round(s.newly_covered, 2),
                        "s": round(s.cumulative_share, 4)})
        for s in suggestion.sites
    )
    render.geojson_layer(
        sites, name=f"建议新址覆盖范围 Reach of suggested sites ({query.radius} m)",
        point_to_layer=f"waystation.ring({int(query.radius)})",
    ).add_to(fmap)
    render.geojson_layer(
        sites, name="建议新址 Suggested sites", point_to_layer="waystation.siteMarker",
        on_each_feature="waystation.bindSitePopup",
    ).add_to(fmap)
    folium_layer_control(fmap)
    return GapMap(
        parts=render.map_parts(fmap), summary=suggestion.summary(),
        worst=[c for c in result.cells[:WORST_CELLS_LISTED] if c.unmet_demand > 0],
        sites=suggestion.sites, drawn=len(drawn), legend=legend,
    )
