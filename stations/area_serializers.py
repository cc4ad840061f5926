from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from stations.models import Area, Union


class UnionSerializer(serializers.ModelSerializer):
    adcode = serializers.CharField(source="area.adcode", read_only=True)

    class Meta:
        model = Union
        fields = ["name", "name_en", "phone", "address", "adcode"]


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["adcode", "name", "name_en", "level"]


class ContainingAreaSerializer(serializers.ModelSerializer):
    """An area containing the looked-up point; `union` is filled in by the view (walk-up)."""

    parent = serializers.CharField(source="parent.adcode", default=None, read_only=True)
    union = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = ["adcode", "name", "name_en", "level", "parent", "union"]

    def get_union(self, area) -> dict | None:
        union = getattr(area, "responsible", None)
        if union is None:
            return None
        return {**UnionSerializer(union).data, "own": union.area_id == area.id}


class AreaFeatureSerializer(GeoFeatureModelSerializer):
    parent = AreaRefSerializer(read_only=True)
    union = serializers.SerializerMethodField()

    class Meta:
        model = Area
        geo_field = "boundary"
        id_field = "adcode"
        fields = ["adcode", "name", "name_en", "level", "parent", "union"]

    def get_union(self, area) -> dict | None:
        union = area.responsible_union()
        if union is None:
            return None
        return {**UnionSerializer(union).data, "own": union.area_id == area.id}
