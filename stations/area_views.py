from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from stations.area_serializers import AreaFeatureSerializer, ContainingAreaSerializer
from stations.coords import LocationSerializer
from stations.models import Area, Union


@extend_schema(
    parameters=[
        OpenApiParameter("lat", float, required=True, description="latitude, decimal degrees"),
        OpenApiParameter("lon", float, required=True, description="longitude, decimal degrees"),
        OpenApiParameter("crs", str, enum=["wgs84", "gcj02", "bd09"], description="default wgs84"),
    ]
)
class AreaLookupView(generics.ListAPIView):
    """The areas containing a point, smallest first, each with the union responsible for it."""

    serializer_class = ContainingAreaSerializer

    def get_queryset(self):
        location = LocationSerializer(data=self.request.query_params)
        location.is_valid(raise_exception=True)
        areas = list(
            Area.objects.containing(location.validated_data["point"]).select_related("parent")
        )
        if areas:
            # One query for every union on the chain; each area takes its nearest one upward.
            chain = areas[0].ancestor_adcodes
            unions = {
                u.area.adcode: u
                for u in Union.objects.filter(area__adcode__in=chain).select_related("area")
            }
            for area in areas:
                area.responsible = next(
                    (unions[c] for c in area.ancestor_adcodes if c in unions), None
                )
        return areas


class AreaDetailView(generics.RetrieveAPIView):
    """One area as a GeoJSON Feature with its boundary, parent and responsible union."""

    queryset = Area.objects.select_related("parent")
    serializer_class = AreaFeatureSerializer
    lookup_field = "adcode"
