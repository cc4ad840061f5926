"""What the three folium pages draw: plain functions from validated parameters to template context.

Each page aggregates on the server so that it stays under 2 MB with 1M cases and 100k facilities:
cases as grid counts, facilities as individual markers only up to FACILITY_MARKER_LIMIT (else as
per-kind grid clusters with counts), gap cells capped at MAX_DRAWN_CELLS, worst first.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime

import folium
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Polygon
from django.core.cache import cache
from django.db.models import BooleanField, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
    """What the shared script (project/ws.js) reads from the page's "ws-labels" json_script:
    the vocabularies' labels in the page's language, the kinds' colours, the tiles' system."""
    return {
        "kinds": {k: str(label) for k, label in FacilityKind.choices},
        "amenities": {k: str(label) for k, label in Amenity.choices},
        "statuses": {k: str(label) for k, label in FacilityStatus.choices},
        "colours": render.KIND_COLOURS,
        "tilesCrs": settings.MAP_TILES_CRS,
    }


def find_config() -> dict:
    """What /find/'s script needs: the API, the tiles, labels, and where to start the map."""
    return {
        "nearestUrl": reverse("stations:facility-nearest"),
        "tilesUrl": settings.MAP_TILES_URL,
        "tilesAttribution": settings.MAP_TILES_ATTRIBUTION,
        "tilesCrs": settings.MAP_TILES_CRS,
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
    area: Area | None  # what the map covers: this area and its sub-areas, or every area
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
    if area is not None:
        outline_layer(area).add_to(fmap)
    if count <= FACILITY_MARKER_LIMIT:
        _draw_facilities(fmap, facilities, kinds, radius, now or timezone.now())
        cell = None
    else:
        cell = coarse_enough_cell(facilities, 500, FACILITY_CLUSTER_CELLS)
        _draw_facility_counts(fmap, facilities, kinds, cell)
    folium_layer_control(fmap)
    labels = dict(FacilityKind.choices)
    return FacilityMap(
        parts=render.map_parts(fmap), area=area, count=count, cell=cell,
        kinds={k: (labels[k], render.KIND_COLOURS[k]) for k in kinds},
    )


def facility_points(facilities: QuerySet, kinds, now: datetime) -> dict[str, list]:
    """kind -> (lon, lat, properties) of each facility, with what its popup shows (maps.js)."""
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
    return by_kind


def outline_layer(area: Area) -> folium.GeoJson:
    """The area's boundary, simplified to ~50 m (a district's has thousands of vertices)."""
    boundary = area.boundary.simplify(0.0005, preserve_topology=True)
    return render.geojson_layer(
        {"type": "Feature", "geometry": render.display_geometry(boundary), "properties": {}},
        name=_("Boundary of %(area)s") % {"area": area.display_name},
        style="waystation.outlineStyle",
    )


def _draw_facilities(fmap, facilities: QuerySet, kinds, radius: int, now: datetime) -> None:
    """A marker-cluster layer per kind (popups built in the browser) and a ring layer per kind,
    switched off until asked for."""
    by_kind = facility_points(facilities, kinds, now)
    labels = dict(FacilityKind.choices)
    for kind, points in by_kind.items():
        cluster = render.marker_cluster(str(labels[kind]), kind)
        render.geojson_layer(
            render.point_collection(points), control=False,
            point_to_layer="waystation.facilityMarker",
            on_each_feature="waystation.bindFacilityPopup",
        ).add_to(cluster)
        cluster.add_to(fmap)
    for kind, points in by_kind.items():
        render.geojson_layer(
            render.point_collection((x, y, {"k": kind}) for x, y, _ in points),
            name=_("Service radius %(radius)s m: %(kind)s") % {"radius": radius, "kind": labels[kind]},
            show=False,
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
    area: Area | None
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
    if area is not None:
        outline_layer(area).add_to(fmap)
    render.geojson_layer(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": render.display_polygon(ring),
             "properties": {"n": c.count}}
            for c, ring in zip(cells, cell_rings(chosen, [(c.i, c.j) for c in cells]), strict=True)
        ]},
        name=_("Case density"),
        style=render.graduated_style(breaks, legend, "n"),
        on_each_feature="waystation.bindCaseCountTooltip",
    ).add_to(fmap)
    folium_layer_control(fmap)
    return Heatmap(
        parts=render.map_parts(fmap), area=area, cases=sum(c.count for c in cells), cells=len(cells),
        cell=chosen, requested_cell=cell, legend=legend,
    )


@dataclass
class GapMap:
    parts: render.MapParts
    area: Area | None
    facilities: int  # existing facilities of the kind drawn
    summary: dict
    worst: list
    sites: list
    drawn: int
    legend: list
    window: str = ""  # the time window, as written; "" for every hour


def gap_map(query: GapQuery, n: int, include_extensions: bool = False) -> GapMap:
    """Unmet demand as a choropleth, served demand in grey, the suggested sites with their reach
    (and, with a window, facilities to keep open longer, ranked among them)."""
    result = cached_gap_cells(query)
    suggestion = cached_sites(query, n, include_extensions)
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

    cells_layer([c for c in drawn if c.unmet_demand == 0], _("Served demand"),
                "waystation.servedStyle")
    cells_layer(unmet, _("Unmet demand"), render.graduated_style(breaks, legend, "u"))
    if query.area is not None:
        outline_layer(query.area).add_to(fmap)
    existing = _existing_facilities(query, bounds)
    render.geojson_layer(
        render.point_collection(existing),
        name=_("Existing facilities: %(kind)s") % {"kind": FacilityKind(query.kind).label},
        point_to_layer="waystation.facilityMarker", on_each_feature="waystation.bindFacilityPopup",
    ).add_to(fmap)
    sites = render.point_collection(
        (s.lon, s.lat, {"r": s.rank, "c": round(s.newly_covered, 2),
                        "s": round(s.cumulative_share, 4),
                        **({"n": s.facility_name, "h": s.proposed_hours} if s.facility_id else {})})
        for s in suggestion.sites
    )
    render.geojson_layer(
        sites, name=_("Reach of suggested sites (%(radius)s m)") % {"radius": query.radius},
        point_to_layer=f"waystation.ring({int(query.radius)})",
    ).add_to(fmap)
    render.geojson_layer(
        sites, name=_("Suggested sites"), point_to_layer="waystation.siteMarker",
        on_each_feature="waystation.bindSitePopup",
    ).add_to(fmap)
    folium_layer_control(fmap)
    return GapMap(
        parts=render.map_parts(fmap), area=query.area, facilities=len(existing),
        summary=suggestion.summary(),
        worst=[c for c in result.cells[:WORST_CELLS_LISTED] if c.unmet_demand > 0],
        sites=suggestion.sites, drawn=len(drawn), legend=legend,
        window=query.window.text if query.window is not None else "",
    )


def _existing_facilities(query: GapQuery, bounds) -> list:
    """The facilities of the analysed kind that count as serving (in the area, else in the
    drawn cells' extent), at most FACILITY_MARKER_LIMIT of them."""
    facilities = Facility.objects.filter(kind=query.kind, status__in=query.facility_statuses())
    if query.window is not None and not query.window.whole_week:
        # Only those open throughout the window serve in it (as in maps.gaps).
        table = Facility._meta.db_table
        facilities = facilities.alias(open_throughout=RawSQL(
            f'"{table}"."open_24h" OR coalesce("{table}"."open_minutes" @> %s::int4multirange, false)',
            [query.window.multirange()], output_field=BooleanField(),
        )).filter(open_throughout=True)
    if query.area is not None:
        facilities = facilities.in_area(query.area)
    elif bounds:
        # Cell centres span the bounds; a facility up to `radius` beyond them still serves.
        pad_lat = query.radius / 111_000
        pad_lon = pad_lat / max(0.1, math.cos(math.radians((bounds[1] + bounds[3]) / 2)))
        box = (bounds[0] - pad_lon, bounds[1] - pad_lat, bounds[2] + pad_lon, bounds[3] + pad_lat)
        facilities = facilities.filter(location__contained=Polygon.from_bbox(box))
    else:
        return []
    points = facility_points(facilities[:FACILITY_MARKER_LIMIT], [query.kind], timezone.now())
    return points[query.kind]
