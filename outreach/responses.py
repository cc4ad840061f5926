"""What the review and the dashboard answer, written down for the OpenAPI schema.

The views build these bodies as plain dicts (outreach.reviews, outreach.dashboard); these
serializers only describe them (`@extend_schema(responses=...)` in outreach.views), so the
schema says what a client gets. Keep them in step with those two modules.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Category
from outreach.dashboard import SUPPRESSED
from stations.models import AreaLevel


@extend_schema_field({
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "enum": [SUPPRESSED], "description": "1 to 4: suppressed"},
    ],
})
class SuppressedCountField(serializers.Field):
    """A count as the dashboard publishes it: the number, or "<5" for 1 to 4."""

    def to_representation(self, value):
        return value


# ---- review (staff) ----

class ReviewAreaSerializer(serializers.Serializer):
    adcode = serializers.CharField()
    name = serializers.CharField()


class ReviewTotalsSerializer(serializers.Serializer):
    visits = serializers.IntegerField()
    enterprises_visited = serializers.IntegerField()
    key_enterprises = serializers.IntegerField()
    key_enterprises_visited = serializers.IntegerField()
    issues_raised = serializers.IntegerField()
    issues_solved = serializers.IntegerField()
    resolution_rate = serializers.FloatField(allow_null=True, help_text="solved / raised")


class ReviewWeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="its Monday")
    visits = serializers.IntegerField()
    met = serializers.BooleanField(help_text="visits >= weekly_target")


class ReviewStaffSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    visits = serializers.IntegerField()
    enterprises_visited = serializers.IntegerField()
    weeks_met = serializers.IntegerField()
    weeks = ReviewWeekSerializer(many=True)
    issues_raised = serializers.IntegerField()
    issues_solved = serializers.IntegerField()
    resolution_rate = serializers.FloatField(allow_null=True)


class ReviewSubAreaSerializer(serializers.Serializer):
    adcode = serializers.CharField(allow_null=True, help_text="null: grouped by `street`")
    street = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    visits = serializers.IntegerField()
    enterprises_visited = serializers.IntegerField()
    issues_raised = serializers.IntegerField()
    issues_solved = serializers.IntegerField()
    resolution_rate = serializers.FloatField(allow_null=True)


class KeyNotVisitedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    street = serializers.CharField(allow_blank=True)
    owner__username = serializers.CharField(allow_null=True, help_text="responsible staff member")


class ReviewSerializer(serializers.Serializer):
    area = ReviewAreaSerializer()
    start = serializers.DateField()
    end = serializers.DateField(help_text="exclusive")
    weekly_target = serializers.IntegerField()
    totals = ReviewTotalsSerializer()
    staff = ReviewStaffSerializer(many=True)
    sub_areas = ReviewSubAreaSerializer(many=True)
    key_not_visited = KeyNotVisitedSerializer(
        many=True, help_text="key enterprises with no visit this quarter"
    )


# ---- dashboard (public) ----

class DashboardAreaSerializer(serializers.Serializer):
    adcode = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    level = serializers.ChoiceField(choices=AreaLevel.choices)


class FiguresSerializer(serializers.Serializer):
    """outreach.dashboard.publish: rates, mean and median only over 5 or more cases."""

    received = SuppressedCountField()
    resolved = SuppressedCountField()
    one_time_resolution_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    mean_rating = serializers.FloatField(allow_null=True)
    median_handling_days = serializers.FloatField(allow_null=True)


class BreakdownFiguresSerializer(FiguresSerializer):
    # null: withheld beside a lone "<5" so it cannot be worked out by subtraction
    received = SuppressedCountField(allow_null=True)
    resolved = SuppressedCountField(allow_null=True)


class MonthFiguresSerializer(BreakdownFiguresSerializer):
    month = serializers.CharField(help_text="YYYY-MM")


class CategoryFiguresSerializer(BreakdownFiguresSerializer):
    category = serializers.ChoiceField(choices=Category.choices)
    label = serializers.CharField()


class SubAreaFiguresSerializer(BreakdownFiguresSerializer):
    adcode = serializers.CharField()
    name = serializers.CharField(allow_blank=True)


class DashboardSerializer(serializers.Serializer):
    area = DashboardAreaSerializer()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    suppressed_below = serializers.IntegerField()
    totals = FiguresSerializer()
    by_month = MonthFiguresSerializer(many=True)
    by_category = CategoryFiguresSerializer(many=True)
    sub_areas = SubAreaFiguresSerializer(many=True)
