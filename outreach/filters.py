from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from outreach.models import Enterprise, Industry, Pairing, ReceptionSession
from stations.models import Area

AREA_LABEL = "adcode; includes sub-areas"


class _InArea(filters.FilterSet):
    area = filters.ModelChoiceFilter(
        queryset=Area.objects.defer("boundary"), to_field_name="adcode", method="in_area",
        label=AREA_LABEL,
    )

    # The adcode is a string; said here because the filtered models (sessions, pairings) reach
    # their area through the facility, where drf-spectacular cannot find it.
    # (an override's schema is taken whole: the label goes in again as its description)
    @extend_schema_field({"type": "string", "description": AREA_LABEL})
    def in_area(self, queryset, name, area):
        return queryset.in_area(area)


class EnterpriseFilter(_InArea):
    industry = filters.ChoiceFilter(choices=Industry.choices)

    class Meta:
        model = Enterprise
        fields = ["area", "is_key", "industry"]


class ReceptionSessionFilter(_InArea):
    class Meta:
        model = ReceptionSession
        fields = ["area", "facility"]


class PairingFilter(_InArea):
    class Meta:
        model = Pairing
        fields = ["area", "facility"]
