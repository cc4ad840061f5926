"""Query parameters of the gap API and the map pages, validated with errors keyed by field.

The API views and the pages read their parameters through these serializers, so `/maps/gaps/`
shows the same messages `/api/gaps/` returns as 400s.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Category
from maps.gaps import GapQuery
from project.serializers import BoundedDateField
from stations.models import Area, FacilityKind

RADIUS_LIMITS = (50, 20_000)
CELL_LIMITS = (100, 50_000)
MAX_SITES = 50


class AreaField(serializers.CharField):
    """An adcode, read as the Area it names."""

    default_error_messages = {"unknown": _("no area with adcode {adcode}")}

    def to_internal_value(self, data) -> Area:
        adcode = super().to_internal_value(data)
        area = Area.objects.filter(adcode=adcode).first()
        if area is None:
            self.fail("unknown", adcode=adcode)
        return area


class CategoryWeightsField(serializers.CharField):
    """`category:weight,category:weight`, each weight between 0 and 1."""

    default_error_messages = {
        "format": _("write category:weight pairs separated by commas, e.g. safety:0.5"),
        "category": _("{category} is not a case category"),
        "weight": _("the weight of {category} must be a number from 0 to 1"),
    }

    def to_internal_value(self, data) -> tuple[tuple[str, float], ...]:
        text = super().to_internal_value(data)
        weights = {}
        for pair in filter(None, (p.strip() for p in text.split(","))):
            category, sep, value = pair.partition(":")
            if not sep:
                self.fail("format")
            category = category.strip()
            if category not in Category.values:
                self.fail("category", category=category)
            try:
                weight = float(value)
            except ValueError:
                self.fail("weight", category=category)
            if not 0 <= weight <= 1:
                self.fail("weight", category=category)
            weights[category] = weight
        return tuple(sorted(weights.items()))


class DemandFilterSerializer(serializers.Serializer):
    """Which cases: area, dates (local days, both inclusive), categories."""

    area = AreaField(required=False, help_text="adcode; includes its sub-areas")
    since = BoundedDateField(required=False, help_text="first local day, YYYY-MM-DD")
    until = BoundedDateField(required=False, help_text="last local day, YYYY-MM-DD")
    category = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False,
        help_text="repeatable; only these categories count",
    )

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError({"until": [_("must not be before since")]})
        return attrs


class GapParamsSerializer(DemandFilterSerializer):
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    radius = serializers.IntegerField(
        min_value=RADIUS_LIMITS[0], max_value=RADIUS_LIMITS[1], default=1000,
        help_text="metres; a cell is served when a facility is this close to its centre",
    )
    cell = serializers.IntegerField(
        min_value=CELL_LIMITS[0], max_value=CELL_LIMITS[1], default=500,
        help_text="grid cell size in metres (equal-area)",
    )
    weight = serializers.FloatField(
        min_value=0, max_value=1, default=0.0,
        help_text="weight of a case that is not a shortage of this kind (a shortage counts 1)",
    )
    weights = CategoryWeightsField(
        required=False, help_text="per-category weights overriding `weight`, e.g. safety:0.5"
    )
    include_planned = serializers.BooleanField(
        default=False, help_text="count planned facilities as if open"
    )

    def to_query(self) -> GapQuery:
        data = self.validated_data
        return GapQuery(
            kind=data["kind"], radius=data["radius"], cell=data["cell"], area=data.get("area"),
            since=data.get("since"), until=data.get("until"),
            categories=tuple(sorted(set(data.get("category", ())))),
            other_weight=data["weight"], weights=data.get("weights", ()),
            include_planned=data["include_planned"],
        )


class SitesParamsSerializer(GapParamsSerializer):
    n = serializers.IntegerField(
        min_value=1, max_value=MAX_SITES, default=5, help_text="how many sites to suggest"
    )


class HeatmapParamsSerializer(DemandFilterSerializer):
    cell = serializers.IntegerField(
        min_value=CELL_LIMITS[0], max_value=CELL_LIMITS[1], default=500,
        help_text="grid cell size in metres; raised automatically to keep the page small",
    )


class FacilityMapParamsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FacilityKind.choices, required=False)
    area = AreaField(required=False)
    radius = serializers.IntegerField(
        min_value=RADIUS_LIMITS[0], max_value=RADIUS_LIMITS[1], default=1000,
        help_text="service-radius rings, metres",
    )
