from drf_spectacular.utils import extend_schema
from rest_framework import generics

from stations.area_serializers import AreaFeatureSerializer, ContainingAreaSerializer
from stations.coords import LocationSerializer
from stations.models import Area, Union


@extend_schema(
    # The serializer that reads them, so the schema states their bounds.
    parameters=[LocationSerializer]
)
class AreaLookupView(generics.ListAPIView):
    """The areas containing a point, smallest first, each with the union responsible for it."""

    serializer_class = ContainingAreaSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no point
            return Area.objects.none()
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
