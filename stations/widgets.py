"""The map widget of the back office: a point on Leaflet, served by the project.

Django's own widgets load OpenLayers from a CDN, which leaves the location field a blank box
offline and for many users in mainland China. This one uses the Leaflet the project already
serves (settings.LEAFLET_DIR as static `vendor/leaflet/`), the tiles of MAP_TILES_URL, and the
same GCJ-02 shift as the map pages when MAP_TILES_CRS is gcj02: the point is always stored as
WGS84, only its drawing (and the reading of a click) is shifted.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.gis.forms.widgets import BaseGeometryWidget
from django.templatetags.static import static
from django.urls import reverse


class PointMapWidget(BaseGeometryWidget):
    """Click or drag to set a point. `attrs`: `bounds` ([minlon, minlat, maxlon, maxlat], the
    view when there is no point yet: the staff member's jurisdiction) and `facility_field` (the
    form field holding a facility id: offers "use the facility's location")."""

    template_name = "stations/widgets/point_map.html"
    geom_type = "POINT"
    map_srid = 4326

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={"all": ["vendor/leaflet/leaflet.css", "stations/point_map.css"]},
            # The catalogue first: the widget's texts go through its gettext().
            js=[reverse("javascript-catalog"), "vendor/leaflet/leaflet.js", "project/ws.js",
                "stations/point_map.js"],
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        facility_field = self.attrs.get("facility_field")
        context["config"] = {
            "tilesUrl": settings.MAP_TILES_URL,
            "attribution": settings.MAP_TILES_ATTRIBUTION,
            "tilesCrs": settings.MAP_TILES_CRS,
            "bounds": self.attrs.get("bounds"),
            "facilityField": f"id_{facility_field}" if facility_field else None,
            # The facility API's detail URL with a placeholder id the script replaces.
            "facilityUrl": reverse("stations:facility-detail", args=[0]).replace("/0/", "/{id}/"),
            # The marker's images by their served (content-hashed) names: Leaflet's own guess
            # from its stylesheet's URL fails once the names carry a hash.
            "icon": {
                "iconUrl": static("vendor/leaflet/images/marker-icon.png"),
                "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
                "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
            },
        }
        context["id"] = context.get("id") or name
        context["config_id"] = f"{context['id']}_config"
        return context
