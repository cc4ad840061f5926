"""folium maps for the pages, served without a CDN and embedded in Django templates.

folium's default assets (Leaflet 1.9 from jsDelivr, jQuery, Bootstrap, Font Awesome) cannot load on
machines without internet access, so every map is a `Map` below: folium's own Map whose asset
lists (its public `default_js`/`default_css` class attributes, as folium's plugins declare theirs)
name the Leaflet and marker-cluster builds Debian ships (served as static "vendor/leaflet/"), the
shared module project/ws.js and maps/maps.js. Nothing needs the others: no folium Popup (it calls
jQuery), no Marker icons; points are CircleMarkers and popups are built in the browser by
static/maps/maps.js with textContent, so names and addresses always show as text.

Coordinates are drawn through `display_lonlat`: WGS84 unless the tiles are GCJ-02
(MAP_TILES_CRS=gcj02, Amap/Tencent), whose streets sit ~500 m off WGS84 points in China.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import folium
import folium.plugins
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from folium.utilities import JsCode

from stations.coords import from_wgs84

# Colours of the facility kinds, shared by markers, rings and the legend.
KIND_COLOURS = {"rest_station": "#1f77b4", "canteen": "#d62728", "charging_point": "#2ca02c"}
# Sequential classes for counts and unmet demand (ColorBrewer YlOrRd, 6 classes).
CLASS_COLOURS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"]


@dataclass(frozen=True)
class MapParts:
    """A rendered map split for a Django template: `header` in <head>, `html` where the map
    goes, `script` after it."""

    header: SafeString
    html: SafeString
    script: SafeString
    name: str


def display_lonlat(lon: float, lat: float) -> tuple[float, float]:
    """Where to draw a WGS84 point on the configured tiles."""
    return from_wgs84(lon, lat, settings.MAP_TILES_CRS)


def display_geometry(geometry) -> dict:
    """A WGS84 GEOS (multi)polygon as GeoJSON for the configured tiles, rounded to ~1 m."""
    def ring(coords):
        return display_polygon(coords)["coordinates"][0]

    if geometry.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry.coords]}
    return {"type": "MultiPolygon",
            "coordinates": [[ring(r) for r in polygon] for polygon in geometry.coords]}


def display_polygon(ring: list[list[float]]) -> dict:
    """A GeoJSON Polygon from a WGS84 ring, shifted for the configured tiles, coordinates
    rounded to 1e-5 degrees (~1 m), which keeps pages small."""
    shift = settings.MAP_TILES_CRS != "wgs84"
    points = [display_lonlat(lon, lat) if shift else (lon, lat) for lon, lat in ring]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in points]]}


class StaticAssets:
    """folium's (name, url) asset list of a class, as URLs of the project's static files.

    Resolved when the map renders, not at import: with hashed static names the URL comes from
    the manifest that collectstatic writes.
    """

    def __init__(self, *assets: tuple[str, str]):
        self.assets = assets

    def __get__(self, instance, owner=None) -> list[tuple[str, str]]:
        return [(name, static(path)) for name, path in self.assets]


class Map(folium.Map):
    default_js = StaticAssets(
        ("leaflet", "vendor/leaflet/leaflet.min.js"),
        ("ws", "project/ws.js"),
        ("waystation", "maps/maps.js"),
    )
    default_css = StaticAssets(
        ("leaflet_css", "vendor/leaflet/leaflet.css"), ("waystation_css", "maps/maps.css")
    )


class MarkerCluster(folium.plugins.MarkerCluster):
    default_js = StaticAssets(("markerclusterjs", "vendor/leaflet/leaflet.markercluster.min.js"))
    default_css = StaticAssets(
        ("markerclustercss", "vendor/leaflet/MarkerCluster.css"),
        ("markerclusterdefaultcss", "vendor/leaflet/MarkerCluster.Default.css"),
    )


def base_map(bounds: tuple[float, float, float, float] | None) -> Map:
    """A map on the configured tiles, fitted to (min lon, min lat, max lon, max lat) in WGS84."""
    fmap = Map(
        location=[35.0, 105.0], zoom_start=4, tiles=None, control_scale=True, prefer_canvas=True
    )
    folium.TileLayer(
        tiles=settings.MAP_TILES_URL, attr=settings.MAP_TILES_ATTRIBUTION,
        name=_("Base map"), control=False,
    ).add_to(fmap)
    if bounds:
        west, south = display_lonlat(bounds[0], bounds[1])
        east, north = display_lonlat(bounds[2], bounds[3])
        fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def marker_cluster(name: str, kind: str, show: bool = True) -> MarkerCluster:
    """A cluster layer of one facility kind, its bubbles in the kind's colour (maps.js)."""
    return MarkerCluster(
        name=name, show=show, options={"maxClusterRadius": 50},
        icon_create_function=f"waystation.clusterIcon({json.dumps(kind)})",
    )


def point_collection(points: Iterable[tuple[float, float, dict]]) -> dict:
    """A FeatureCollection of (lon, lat, properties) in WGS84, positioned for the tiles."""
    features = []
    for lon, lat, properties in points:
        x, y = display_lonlat(lon, lat)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
            "properties": properties,
        })
    return {"type": "FeatureCollection", "features": features}


def geojson_layer(data: dict, *, name: str | None = None, show: bool = True, control: bool = True,
                  point_to_layer: str | None = None, style: str | None = None,
                  on_each_feature: str | None = None) -> folium.GeoJson:
    """A GeoJSON layer whose drawing is given as JavaScript (functions from maps.js).

    folium's Python style functions would emit a JavaScript switch with one case per feature; a
    single function reading the feature's properties keeps large layers small.
    """
    options = {}
    if point_to_layer:
        options["point_to_layer"] = JsCode(point_to_layer)
    if style:
        options["style"] = JsCode(style)
    return folium.GeoJson(
        data, name=name, show=show, control=control,
        on_each_feature=JsCode(on_each_feature) if on_each_feature else None, **options,
    )


def class_breaks(values: list[float], classes: int = len(CLASS_COLOURS)) -> list[float]:
    """Upper bounds of up to `classes` quantile classes of positive values (for a legend)."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    breaks: list[float] = []
    for k in range(1, classes + 1):
        bound = positive[max(0, math.ceil(len(positive) * k / classes) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def legend(breaks: list[float]) -> list[tuple[str, str]]:
    """(colour, label) rows for `breaks`, the colours spread over CLASS_COLOURS."""
    rows, lower = [], 0.0
    for k, upper in enumerate(breaks):
        colour = CLASS_COLOURS[round(k * (len(CLASS_COLOURS) - 1) / max(1, len(breaks) - 1))]
        rows.append((colour, f"{_fmt(lower)} – {_fmt(upper)}"))
        lower = upper
    return rows


def graduated_style(breaks: list[float], legend_rows: list[tuple[str, str]], key: str) -> str:
    """JavaScript style function colouring features by `properties[key]` as in the legend."""
    colours = [colour for colour, _ in legend_rows]
    return f"waystation.graduated({json.dumps(breaks)}, {json.dumps(colours)}, {json.dumps(key)})"


def _fmt(value: float) -> str:
    return f"{value:g}" if value < 1000 else f"{value:,.0f}"


def map_parts(fmap: folium.Map) -> MapParts:
    """Render `fmap` into the three pieces a page template places (and the map's JavaScript
    name, by which the page's scripts find it)."""
    figure = fmap.get_root()
    # Rendering the figure renders every element into its header, html and script parts; the
    # whole document it returns is not needed, the page template places the parts.
    figure.render()
    # Safe to mark safe: folium writes data into scripts through `tojson`, which escapes <, >,
    # & and ' (a name cannot close the <script>), and user text never reaches its HTML parts.
    return MapParts(
        header=mark_safe(figure.header.render()),
        html=mark_safe(figure.html.render()),
        script=mark_safe(figure.script.render()),
        name=fmap.get_name(),
    )


def with_nonce(html: SafeString, nonce: str | None) -> SafeString:
    """folium's HTML with the request's CSP nonce on every <script>, so the page's policy can
    allow exactly these scripts rather than any inline script ('unsafe-inline').

    The one place folium output meets the Content-Security-Policy: map templates pass every
    folium part through it (the `with_nonce` filter) and wrap `MapParts.script` in a
    `<script nonce>` of their own.
    """
    # str() first: django-csp's lazy nonce is falsy until it has been evaluated.
    nonce = str(nonce) if nonce is not None else ""
    if not nonce:
        return html
    return mark_safe(html.replace("<script", f'<script nonce="{escape(nonce)}"'))
