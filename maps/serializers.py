"""GeoJSON output of the gap API: cells and suggested sites as Features, paginated collections."""

from __future__ import annotations

from rest_framework import serializers

from project.pagination import GeoJsonPagination


class GapPagination(GeoJsonPagination):
    """A FeatureCollection page with `count`, `next`, `previous` and the analysis `summary`.

    Large pages are allowed because a planner's script usually wants the whole grid at once
    (a city at 500 m is under 10,000 cells with demand); cells come worst first.
    """

    page_size = 500
    max_page_size = 10_000

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["summary"] = data["summary"]
        return response

    def get_paginated_response_schema(self, view):
        schema = super().get_paginated_response_schema(view)
        schema["properties"]["summary"] = {"type": "object"}
        return schema


class GapCellSerializer(serializers.Serializer):
    """A grid cell (maps.gaps.GapCell) as a GeoJSON Feature with a Polygon in WGS84.

    The outlines come in the context (`rings`, keyed by (i, j); see maps.grid.cell_rings):
    they are computed for the cells of one page, not with the analysis.
    """

    def to_representation(self, cell) -> dict:
        ring = self.context["rings"][(cell.i, cell.j)]
        return {
            "type": "Feature",
            "id": f"{cell.i}:{cell.j}",
            "geometry": {"type": "Polygon",
                         "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]},
            "properties": {
                "demand": round(cell.demand, 3),
                "nearest_m": None if cell.nearest_m is None else round(cell.nearest_m, 1),
                "unmet_demand": round(cell.unmet_demand, 3),
                "centre": [round(cell.lon, 6), round(cell.lat, 6)],
            },
        }


class CapacityCellSerializer(GapCellSerializer):
    """A grid cell with its capacity ratios (maps.capacity.CapacityCell)."""

    def to_representation(self, cell) -> dict:
        ring = self.context["rings"][(cell.i, cell.j)]
        return {
            "type": "Feature",
            "id": f"{cell.i}:{cell.j}",
            "geometry": {"type": "Polygon",
                         "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]},
            "properties": {
                "demand": round(cell.demand, 3),
                "ratio_2sfca": round(cell.ratio_2sfca, 6),
                "ratio_e2sfca": round(cell.ratio_e2sfca, 6),
                "exceeds_supply": cell.exceeds_supply,
                "centre": [round(cell.lon, 6), round(cell.lat, 6)],
            },
        }


class SiteSerializer(serializers.Serializer):
    """A suggested site (maps.sites.Site) as a GeoJSON Feature with a Point in WGS84."""

    def to_representation(self, site) -> dict:
        return {
            "type": "Feature",
            "id": site.rank,
            "geometry": {"type": "Point", "coordinates": [round(site.lon, 6), round(site.lat, 6)]},
            "properties": {
                "rank": site.rank,
                "newly_covered": round(site.newly_covered, 3),
                "cumulative_covered": round(site.cumulative_covered, 3),
                "cumulative_share": round(site.cumulative_share, 4),
                "proposal": site.proposal,
                **({"facility": {
                    "id": site.facility_id, "name": site.facility_name,
                    "opening_hours": site.opening_hours, "proposed_hours": site.proposed_hours,
                }} if site.facility_id is not None else {}),
            },
        }
