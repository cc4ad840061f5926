from django_filters import rest_framework as filters

from outreach.models import Enterprise, Industry, Pairing, ReceptionSession
from stations.models import Area


class _InArea(filters.FilterSet):
    area = filters.ModelChoiceFilter(
        queryset=Area.objects.defer("boundary"), to_field_name="adcode", method="in_area",
        label="adcode; includes sub-areas",
    )

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
