"""Input checked at the edge: every bad field named in the 400, nothing half written."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.intake import submit
from cases.models import Category, Channel
from outreach.creditcode import normalise, validate_credit_code
from outreach.models import (
    Enterprise,
    Pairing,
    ReceptionSession,
    Repeat,
    SessionCase,
    Visit,
    VisitIssue,
)
from outreach.periods import PERIODS
from stations.coords import LocationSerializer
from stations.models import Area, Facility, Union


class EnterpriseSerializer(serializers.ModelSerializer):
    location = serializers.SerializerMethodField()
    area = serializers.CharField(source="area.adcode", read_only=True, default=None)
    union = serializers.PrimaryKeyRelatedField(
        queryset=Union.objects.filter(parent__isnull=False), required=False, allow_null=True
    )
    union_name = serializers.CharField(source="union.name", read_only=True, default=None)
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_staff=True),
        required=False, allow_null=True,
    )

    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "credit_code", "location", "area", "street",
            "address", "industry", "is_key", "union", "union_name", "owner",
        ]

    def get_location(self, enterprise) -> dict | None:
        p = enterprise.location
        return {"type": "Point", "coordinates": [p.x, p.y]} if p is not None else None

    def validate_credit_code(self, value: str) -> str:
        code = normalise(value)
        try:
            validate_credit_code(code)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from None
        if Enterprise.objects.filter(credit_code=code).exists():
            raise serializers.ValidationError(_("An enterprise with this credit code exists."))
        return code

    def to_internal_value(self, data):
        # `lat`/`lon`/`crs` as in every write API (stations.coords); their errors and the other
        # fields' come back together in one 400.
        errors, attrs = {}, {}
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        location = LocationSerializer(data=data)
        if not location.is_valid():
            errors.update(location.errors)
        if errors:
            raise serializers.ValidationError(errors)
        attrs["location"] = location.validated_data["point"]
        return attrs


class EnterpriseSearchSerializer(serializers.ModelSerializer):
    """What the public report page needs to pick an employer: no owner, no code."""

    class Meta:
        model = Enterprise
        fields = ["id", "name", "street"]


class IssueInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=4000)


class VisitSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    staff = serializers.CharField(source="staff.get_username", read_only=True)
    issues = IssueInputSerializer(many=True, write_only=True, required=False, default=list)
    cases = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id", "enterprise", "visited_on", "staff", "workers_met", "findings", "follow_up",
            "issues", "cases",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(request.user)

    def get_cases(self, visit) -> list[str]:
        return [issue.case.reference for issue in visit.issues.all()]

    def validate_visited_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A visit cannot be dated in the future."))
        return value

    def create(self, validated_data):
        issues = validated_data.pop("issues")
        staff = self.context["request"].user
        with transaction.atomic():
            visit = Visit.objects.create(staff=staff, **validated_data)
            raise_issues(visit, issues, staff)
        return visit


def raise_issues(visit: Visit, issues: list[dict], staff) -> list:
    """Each issue becomes a case (channel visit) at the enterprise, linked to the visit."""
    cases = []
    for issue in issues:
        case, _created = submit(
            category=issue["category"], description=issue["description"], channel=Channel.VISIT,
            point=visit.enterprise.location, location_source="staff_map", staff=staff,
        )
        VisitIssue.objects.create(visit=visit, case=case)
        cases.append(case)
    return cases


class ReceptionSessionSerializer(serializers.ModelSerializer):
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.all())
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    next_start = serializers.SerializerMethodField()
    next_end = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionSession
        fields = [
            "id", "facility", "facility_name", "repeat", "date", "weekday", "starts", "ends",
            "valid_from", "valid_until", "host_name", "host_role", "note", "next_start",
            "next_end",
        ]

    def _next(self, session):
        return getattr(session, "next", None)

    def get_next_start(self, session) -> str | None:
        n = self._next(session)
        return timezone.localtime(n.start).isoformat() if n else None

    def get_next_end(self, session) -> str | None:
        n = self._next(session)
        return timezone.localtime(n.end).isoformat() if n else None

    def validate_facility(self, facility):
        area = self.context.get("jurisdiction")
        user = self.context["request"].user
        if not user.is_superuser and (
            area is None or facility.area is None or not facility.area.path.startswith(area.path)
        ):
            raise serializers.ValidationError(_("This facility is outside your jurisdiction."))
        return facility

    def validate(self, attrs):
        errors = {}

        def value(name):  # as it will be stored: given now, or kept from before (PATCH)
            return attrs[name] if name in attrs else getattr(self.instance, name, None)

        repeat = value("repeat")
        if repeat == Repeat.ONCE:
            if value("date") is None:
                errors["date"] = [_("A one-off session needs a date.")]
            attrs["weekday"] = None
        elif repeat == Repeat.WEEKLY:
            weekday = value("weekday")
            if weekday is None or not 0 <= weekday <= 6:
                errors["weekday"] = [_("A weekly session needs a weekday from 0 (Monday) to 6.")]
            attrs["date"] = None
        if value("starts") is not None and value("starts") == value("ends"):
            errors["ends"] = [_("A session must not end when it starts.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SessionCaseSerializer(IssueInputSerializer):
    reporter_name = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                          default="")
    reporter_phone = serializers.RegexField(r"^[0-9+\-() ]{3,40}$", required=False,
                                            allow_blank=True, default="")

    def save_for(self, session: ReceptionSession, staff):
        with transaction.atomic():
            case, _created = submit(
                channel=Channel.RECEPTION_DAY, facility=session.facility, staff=staff,
                **self.validated_data,
            )
            SessionCase.objects.create(session=session, case=case)
        return case


class PairingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pairing
        fields = ["id", "facility", "official_name", "role", "since"]


class ReviewQuerySerializer(serializers.Serializer):
    area = serializers.SlugRelatedField(
        slug_field="adcode", queryset=Area.objects.defer("boundary"), required=False,
        error_messages={"does_not_exist": _("No area with adcode {value}.")},
    )
    period = serializers.ChoiceField(choices=PERIODS, default="month")
    date = serializers.DateField(required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate(self, attrs):
        if ("since" in attrs) != ("until" in attrs):
            raise serializers.ValidationError(
                {"until" if "since" in attrs else "since": [_("Give both since and until.")]}
            )
        if "since" in attrs and attrs["since"] >= attrs["until"]:
            raise serializers.ValidationError({"until": [_("Must be after since.")]})
        return attrs

