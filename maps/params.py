"""Query parameters of the gap API and the map pages, validated with errors keyed by field.

The API views and the pages read their parameters through these serializers, so `/maps/gaps/`
shows the same messages `/api/gaps/` returns as 400s.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Category
from maps.gaps import GapQuery
from maps.window import TimeWindow, WindowError, parse_window
from project.serializers import BoundedDateField
from stations.models import Area, FacilityKind

# Limits and defaults of the parameters, written once: the serializers below check them and the
# pages' filter forms (maps.forms) draw their inputs' min, max and starting values from them.
RADIUS_LIMITS = (50, 20_000)
CELL_LIMITS = (100, 50_000)
WEIGHT_LIMITS = (0, 1)
MAX_SITES = 50
DEFAULT_RADIUS = 1000
DEFAULT_CELL = 500
DEFAULT_SITES = 5


class AreaField(serializers.CharField):
    """An area by adcode or by name (Chinese or English, exact); blank means every area."""

    default_error_messages = {
        "unknown": _("no area with the adcode or name {area}"),
        "ambiguous": _("several areas are called {area}; give its adcode"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty) -> Area | None:
        # CharField answers a blank value itself, without to_internal_value.
        value = super().run_validation(data)
        return None if value == "" else value

    def to_internal_value(self, data) -> Area | None:
        text = super().to_internal_value(data).strip()
        if not text:
            return None
        match = Q(adcode=text) if text.isdigit() else Q(name=text) | Q(name_en__iexact=text)
        areas = list(Area.objects.filter(match)[:2])
        if not areas:
            self.fail("unknown", area=text)
        if len(areas) > 1:
            self.fail("ambiguous", area=text)
        return areas[0]


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


class WindowField(serializers.CharField):
    """A local time window, `22:00-02:00` or `Mo-Fr 22:00-02:00`, or a preset (day, evening,
    night); blank means every hour."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty) -> TimeWindow | None:
        value = super().run_validation(data)
        return None if value == "" else value

    def to_internal_value(self, data) -> TimeWindow | None:
        text = super().to_internal_value(data).strip()
        if not text:
            return None
        try:
            return parse_window(text)
        except WindowError as exc:
            raise serializers.ValidationError(str(exc)) from None


class DemandFilterSerializer(serializers.Serializer):
    """Which cases: area, dates (local days, both inclusive), categories."""

    area = AreaField(required=False, help_text=_("adcode or name; includes its sub-areas"))
    since = BoundedDateField(required=False, help_text=_("first local day, YYYY-MM-DD"))
    until = BoundedDateField(required=False, help_text=_("last local day, YYYY-MM-DD"))
    category = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False,
        help_text=_("repeatable; only these categories count"),
    )

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError({"until": [_("must not be before since")]})
        return attrs


class GapParamsSerializer(DemandFilterSerializer):
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    radius = serializers.IntegerField(
        min_value=RADIUS_LIMITS[0], max_value=RADIUS_LIMITS[1], default=DEFAULT_RADIUS,
        help_text=_("metres; a cell is served when a facility is this close to its centre"),
    )
    cell = serializers.IntegerField(
        min_value=CELL_LIMITS[0], max_value=CELL_LIMITS[1], default=DEFAULT_CELL,
        help_text=_("grid cell size in metres (equal-area)"),
    )
    weight = serializers.FloatField(
        min_value=WEIGHT_LIMITS[0], max_value=WEIGHT_LIMITS[1], default=0.0,
        help_text=_("weight of a case that is not a shortage of this kind (a shortage counts 1)"),
    )
    weights = CategoryWeightsField(
        required=False, help_text=_("per-category weights overriding `weight`, e.g. safety:0.5")
    )
    include_planned = serializers.BooleanField(
        default=False, help_text=_("count planned facilities as if open")
    )
    hours = WindowField(
        required=False,
        help_text=_("local time window, e.g. 22:00-02:00 or Mo-Fr 22:00-02:00, or a preset: "
                    "day, evening or night"),
    )

    def to_query(self) -> GapQuery:
        data = self.validated_data
        return GapQuery(
            kind=data["kind"], radius=data["radius"], cell=data["cell"], area=data.get("area"),
            since=data.get("since"), until=data.get("until"),
            categories=tuple(sorted(set(data.get("category", ())))),
            other_weight=data["weight"], weights=data.get("weights", ()),
            include_planned=data["include_planned"], window=data.get("hours"),
        )


class GapCellsParamsSerializer(GapParamsSerializer):
    measure = serializers.ChoiceField(
        choices=[("coverage", _("coverage")), ("capacity", _("capacity"))], default="coverage",
        help_text=_("coverage: distance to the nearest facility; capacity: supply per demand in "
                    "reach (2SFCA, E2SFCA)"),
    )


class SitesParamsSerializer(GapParamsSerializer):
    n = serializers.IntegerField(
        min_value=1, max_value=MAX_SITES, default=DEFAULT_SITES,
        help_text=_("how many sites to suggest"),
    )
    include_extensions = serializers.BooleanField(
        default=False,
        help_text=_("also propose keeping existing facilities open through the window `hours`"),
    )


class HeatmapParamsSerializer(DemandFilterSerializer):
    cell = serializers.IntegerField(
        min_value=CELL_LIMITS[0], max_value=CELL_LIMITS[1], default=DEFAULT_CELL,
        help_text=_("grid cell size in metres; raised automatically to keep the page small"),
    )


class FacilityMapParamsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FacilityKind.choices, required=False)
    area = AreaField(required=False)
    radius = serializers.IntegerField(
        min_value=RADIUS_LIMITS[0], max_value=RADIUS_LIMITS[1], default=DEFAULT_RADIUS,
        help_text=_("service-radius rings, metres"),
    )
