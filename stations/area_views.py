from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from stations.area_serializers import AreaFeatureSerializer, ContainingAreaSerializer
from stations.coords import LocationSerializer
from stations.models import Area, AreaLevel, Union


@extend_schema(
    # The serializer that reads them, so the schema states their bounds; `q` instead of a point.
    parameters=[
        LocationSerializer,
        OpenApiParameter("q", str, description="instead of a point: part of a district's or "
                         "town's name; up to 20 matches"),
    ]
)
class AreaLookupView(generics.ListAPIView):
    """The areas containing a point, smallest first, each with the union responsible for it; or
    with `q` instead of a point, districts and towns by name."""

    serializer_class = ContainingAreaSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no point
            return Area.objects.none()
        if "q" in self.request.query_params and "lat" not in self.request.query_params:
            return self._by_name(self.request.query_params["q"])
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

    def _by_name(self, text: str) -> list[Area]:
        """Districts and towns whose name holds `text` (the report page's picker: a worker who
        can only give an address names the district it is in). Short lists: the first 20."""
        text = " ".join(text.split())
        if not 1 <= len(text) <= 50:
            raise ValidationError({"q": ["give 1 to 50 characters of the area's name"]})
        areas = list(
            Area.objects.filter(Q(name__icontains=text) | Q(name_en__icontains=text))
            .filter(level__in=[AreaLevel.DISTRICT, AreaLevel.TOWN])
            .select_related("parent").defer("boundary", "parent__boundary")
            .order_by("depth", "path")[:20]
        )
        for area in areas:
            area.responsible = area.responsible_union()
        return areas


class AreaDetailView(generics.RetrieveAPIView):
    """One area as a GeoJSON Feature with its boundary, parent and responsible union."""

    queryset = Area.objects.select_related("parent")
    serializer_class = AreaFeatureSerializer
    lookup_field = "adcode"
