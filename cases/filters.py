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
    response_overdue = filters.BooleanFilter(
        method="is_response_overdue", label="true: open, unanswered and past response_due_at"
    )
    assignee = filters.CharFilter(
        method="handled_by", label="me (your own cases), none (no handler), or a username"
    )
    since = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Case
        fields = [
            "status", "category", "channel", "area", "overdue", "response_overdue", "assignee",
            "since", "until",
        ]

    def in_area(self, queryset, name, area):
        return queryset.in_area(area)

    def is_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue()
        return queryset.exclude(Q(status__in=OPEN_STATUSES) & Q(due_at__lt=timezone.now()))

    def is_response_overdue(self, queryset, name, value):
        overdue = queryset.response_overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def handled_by(self, queryset, name, value):
        if value == "me":
            return queryset.handled_by(self.request.user)
        if value == "none":
            return queryset.handled_by(None)
        return queryset.filter(assignee__username=value)
