from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters

from cases.models import OPEN_STATUSES, Case, Category, Channel, Status
from stations.models import Area


class CaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    category = filters.ChoiceFilter(choices=Category.choices)
    channel = filters.ChoiceFilter(choices=Channel.choices)
    area = filters.ModelChoiceFilter(
        queryset=Area.objects.defer("boundary"), to_field_name="adcode", method="in_area",
        label="adcode; includes sub-areas",
    )
    overdue = filters.BooleanFilter(method="is_overdue", label="true: open and past due_at")
    since = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Case
        fields = ["status", "category", "channel", "area", "overdue", "since", "until"]

    def in_area(self, queryset, name, area):
        return queryset.in_area(area)

    def is_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue()
        return queryset.exclude(Q(status__in=OPEN_STATUSES) & Q(due_at__lt=timezone.now()))
