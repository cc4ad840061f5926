"""Input checked at the edge, cases out. Points always come through `stations.coords`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from cases import employers
from cases.models import (
    TRANSITIONS,
    Action,
    Case,
    CaseEvent,
    Category,
    Channel,
    Department,
    LocationSource,
)
from cases.photos import MAX_PHOTOS, CleanPhoto, PhotoError, clean_photo
from project.serializers import BoundedDateTimeField, FlatFieldsMixin
from stations.coords import LocationSerializer
from stations.models import Area, Facility

DESCRIPTION_MAX = 4000
TOKEN_REQUIRED = _("required: the tracking_token, here or in the X-Tracking-Token header")

# Where a point typed by the reporter came from, by the crs it was given in.
SOURCE_BY_CRS = {
    "wgs84": LocationSource.GPS, "gcj02": LocationSource.GCJ02, "bd09": LocationSource.BD09,
}


class LocatedInputSerializer(FlatFieldsMixin, serializers.Serializer):
    """Adds the optional `lat`/`lon`/`crs` of `LocationSerializer` as top-level input fields.

    Its errors are merged with the other fields' so one 400 names every bad field, and the
    validated data gain `point` (WGS84, or None) and `crs`.
    """

    # Declared for the schema (their bounds and choices); `LocationSerializer` reads them.
    lat = serializers.FloatField(
        required=False, min_value=-90, max_value=90, help_text="latitude, decimal degrees"
    )
    lon = serializers.FloatField(
        required=False, min_value=-180, max_value=180, help_text="longitude, decimal degrees"
    )
    crs = serializers.ChoiceField(
        choices=LocationSerializer._declared_fields["crs"].choices, required=False,
        help_text="of lat/lon; default wgs84",
    )

    def to_internal_value(self, data):
        errors, attrs = {}, {}
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        location = LocationSerializer(data=data, optional=True)
        if not location.is_valid():
            errors.update(location.errors)  # its messages for lat/lon/crs replace the above
        if errors:
            raise serializers.ValidationError(errors)
        for name in ("lat", "lon", "crs"):
            attrs.pop(name, None)
        attrs["point"] = location.validated_data["point"]
        attrs["crs"] = location.validated_data["crs"]
        return attrs


def _staff_accounts():
    return get_user_model().objects.filter(is_active=True)


class CaseIntakeSerializer(LocatedInputSerializer):
    category = serializers.ChoiceField(choices=Category.choices)
    # Where the case belongs when the reporter gives no point or facility (the report page's
    # picker by name). Intake requires one of the three (`cases.intake.owner`).
    area = serializers.SlugRelatedField(
        slug_field="adcode", queryset=Area.objects.defer("boundary"), required=False,
        allow_null=True, default=None,
        error_messages={"does_not_exist": _("No area with adcode {value}.")},
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.ONLINE)
    # The operating union comes along: a facility_problem case is routed to it.
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.select_related("operator__area").defer(
            "operator__area__boundary"
        ),
        required=False, allow_null=True,
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    reporter_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    reporter_phone = serializers.RegexField(
        r"^[0-9+\-() ]{3,40}$", max_length=40, required=False, allow_blank=True, default="",
        error_messages={"invalid": _("digits, spaces and + - ( ) only")},
    )
    client_token = serializers.CharField(
        max_length=100, required=False, allow_blank=False, allow_null=True, default=None
    )
    # 统一社会信用代码 or an id from the report page's employer search; resolved through the hook
    # in cases.employers (the enterprise register lives in outreach).
    employer = serializers.CharField(
        max_length=40, required=False, allow_blank=True, allow_null=True, default=None
    )

    def validate_employer(self, value: str | None) -> employers.Employer | None:
        if not value or not value.strip():
            return None
        employer = employers.resolve(value.strip())
        if employer is None:
            raise serializers.ValidationError(
                _("No employer with this credit code or id is known.")
            )
        return employer
    # Consent to be told of progress through the union's SMS or WeChat gateway (webhooks).
    notify_me = serializers.BooleanField(required=False, default=False)

    def validate_channel(self, channel: str) -> str:
        if channel == Channel.OPEN311:
            # Reserved for the Open311 GeoReport v2 interface (the `open311` app), which speaks
            # that protocol's errors and keys: this endpoint must not mint such cases.
            raise serializers.ValidationError(
                _("the open311 channel is reserved for the Open311 interface at /open311/v2/; "
                  "use online")
            )
        return channel

    def validate(self, attrs):
        point, crs = attrs.pop("point"), attrs.pop("crs")
        attrs["point"] = point
        attrs["location_source"] = SOURCE_BY_CRS[crs] if point is not None else ""
        if attrs["category"] == Category.FACILITY_PROBLEM and attrs.get("facility") is None:
            raise serializers.ValidationError(
                {"facility": ["required for a problem with a listed place: which place?"]}
            )
        return attrs


class PhotoListField(serializers.ListField):
    """Up to MAX_PHOTOS image files, each checked and re-encoded (`cases.photos`); any bad one
    refuses the whole submission, so no case is written with some of its photos missing."""

    child = serializers.FileField(allow_empty_file=False)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_PHOTOS)
        kwargs.setdefault("error_messages", {
            "max_length": f"at most {MAX_PHOTOS} photos",
        })
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[CleanPhoto]:
        try:
            files = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # A flat list of messages under `photos`, not DRF's {index: [...]} per child.
            detail = exc.detail
            if isinstance(detail, dict):
                detail = [f"{key}: {message}" for key, messages in detail.items()
                          for message in messages]
            raise serializers.ValidationError(detail) from None
        cleaned, problems = [], []
        for upload in files:
            try:
                cleaned.append(clean_photo(upload))
            except PhotoError as exc:
                problems.append(str(exc))
        if problems:
            raise serializers.ValidationError(problems)
        return cleaned


class CaseIntakeWithPhotosSerializer(CaseIntakeSerializer):
    """`multipart/form-data` intake (what /report/ sends): the same fields plus `photos`. A
    separate serializer so the JSON intake path builds no file field."""

    photos = PhotoListField(required=False, default=list)


# Plain serializers, not ModelSerializers, on the intake path: building a ModelSerializer's fields
# from the model costs ~2.5 ms of CPU per response, a third of intake's budget (bench/intake.py).


class CaseAreaSerializer(FlatFieldsMixin, serializers.Serializer):
    adcode = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)


class CaseUnionSerializer(FlatFieldsMixin, serializers.Serializer):
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    # home_area: a workplace union's is its parent's area.
    adcode = serializers.CharField(source="home_area.adcode", read_only=True)


class CaseReceiptSerializer(FlatFieldsMixin, serializers.Serializer):
    """What the reporter gets back at intake: how to follow the case, who has it, by when."""

    reference = serializers.CharField(read_only=True)
    tracking_token = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    channel = serializers.CharField(read_only=True)
    area = CaseAreaSerializer(read_only=True, allow_null=True)
    assigned_union = CaseUnionSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    response_due_at = serializers.DateTimeField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, case):
        # Every intake answers with this, and going field by field through the nested
        # serializers cost 0.2 ms of the request's CPU (bench/intake.py). The fields above still
        # define the shape (and the schema); a test holds this output equal to theirs.
        area, union = case.area, case.assigned_union
        when = _DATETIME.to_representation
        return {
            "reference": case.reference,
            "tracking_token": case.tracking_token,
            "status": case.status,
            "category": case.category,
            "channel": case.channel,
            "area": None if area is None else {
                "adcode": area.adcode, "name": area.name, "name_en": area.name_en,
                "level": area.level,
            },
            "assigned_union": None if union is None else {
                "name": union.name, "name_en": union.name_en, "phone": union.phone,
                "address": union.address, "adcode": union.home_area.adcode,
            },
            "created_at": when(case.created_at),
            "response_due_at": when(case.response_due_at),
            "due_at": when(case.due_at),
        }


_DATETIME = serializers.DateTimeField()  # DRF's format and time zone, used as a formatter


class PublicEventSerializer(serializers.ModelSerializer):
    # Staff are shown by role only: the worker deals with the union, not with named officials.
    actor = serializers.SerializerMethodField()
    from_value = serializers.CharField()
    to_value = serializers.CharField()

    class Meta:
        model = CaseEvent
        fields = ["kind", "actor", "from_value", "to_value", "note", "created_at"]

    def get_actor(self, event: CaseEvent) -> str:
        return "staff" if event.actor_id else event.actor_label


class TrackedCaseSerializer(serializers.ModelSerializer):
    """The reporter's view: progress and answer; no name, phone, location or internal events."""

    area = CaseAreaSerializer(read_only=True, allow_null=True)
    assigned_union = CaseUnionSerializer(read_only=True, allow_null=True)
    events = PublicEventSerializer(source="public_events", many=True, read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference", "category", "channel", "status", "created_at", "response_due_at",
            "due_at", "overdue", "resolved_at", "resolution", "area", "assigned_union",
            "transferred_to", "rating", "rating_comment", "can_be_rated", "events", "photos",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_photos(self, case: Case) -> list[str]:
        """Paths of the reporter's photos; each is read with the tracking token in the
        X-Tracking-Token header (`cases:case-track-photo`)."""
        return [reverse("cases:case-track-photo", args=[case.reference, p.pk])
                for p in case.photos.all()]


class RatingSerializer(serializers.Serializer):
    # Or in the X-Tracking-Token header, which the view passes as context["token"] and wins.
    token = serializers.CharField(required=False)
    score = serializers.IntegerField(
        min_value=1, max_value=5,
        error_messages={
            "min_value": _("must be between 1 and 5"),
            "max_value": _("must be between 1 and 5"),
        },
    )
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        attrs["token"] = self.context.get("token") or attrs.get("token")
        if not attrs["token"]:
            raise serializers.ValidationError({"token": [TOKEN_REQUIRED]})
        return attrs


class StaffEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "actor", "from_value", "to_value", "note", "public", "created_at"]


class CaseFeatureSerializer(GeoFeatureModelSerializer):
    """A case for staff, as a GeoJSON Feature (geometry null until a location is attached)."""

    area = CaseAreaSerializer(read_only=True, allow_null=True)
    assigned_union = CaseUnionSerializer(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    response_overdue = serializers.BooleanField(source="is_response_overdue", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    allowed_actions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Case
        geo_field = "location"
        id_field = "reference"
        fields = [
            "reference", "category", "channel", "status", "description", "address",
            "location_source", "facility", "area", "assigned_union", "assignee", "department",
            "transferred_to", "created_at", "response_due_at", "due_at", "overdue",
            "response_overdue", "responded_at", "resolved_at",
            "closed_at", "reopen_count", "reporter_name", "reporter_phone", "rating",
            "allowed_actions",
        ]


class CaseDetailSerializer(CaseFeatureSerializer):
    events = StaffEventSerializer(many=True, read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta(CaseFeatureSerializer.Meta):
        fields = [
            *CaseFeatureSerializer.Meta.fields, "resolution", "rating_comment", "events", "photos",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
    def get_photos(self, case: Case) -> list[str]:
        """Authenticated staff URLs of the case's photos (`cases:case-photo`)."""
        request = self.context.get("request")
        urls = [reverse("cases:case-photo", args=[case.reference, p.pk]) for p in case.photos.all()]
        return [request.build_absolute_uri(u) for u in urls] if request is not None else urls


class CaseAmendSerializer(LocatedInputSerializer):
    """PATCH: any of location (`lat`/`lon`/`crs` or `facility`), category, description, address."""

    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    # Reassign within the union (null: nobody); checked against the union by `Case.assign`.
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=_staff_accounts(), required=False, allow_null=True
    )

    def validate(self, attrs):
        attrs.pop("crs")
        attrs["location"] = attrs.pop("point")
        return attrs


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    note = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )
    # transfer: a department of the jurisdiction (`GET /api/departments/?area=`), by id or name.
    department = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    # accept: the handler, if not the accepting staff member.
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=_staff_accounts(), required=False, allow_null=True,
        default=None,
    )

    def validate(self, attrs):
        # The same table the model enforces: which inputs the action cannot do without.
        missing = {
            name: gettext("Required for “%(action)s”.") % {"action": Action(attrs["action"]).label}
            for name in TRANSITIONS[attrs["action"]].requires
            if not attrs.get(name, "").strip()
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class StatsQuerySerializer(serializers.Serializer):
    area = serializers.SlugRelatedField(
        slug_field="adcode", queryset=Area.objects.defer("boundary"), required=False,
        error_messages={"does_not_exist": _("no area with adcode {value}")},
    )
    since = BoundedDateTimeField(required=False)
    until = BoundedDateTimeField(required=False)
    by = serializers.ChoiceField(
        choices=[("area", "area"), ("assignee", "assignee")], default="area",
        help_text="rows per sub-area (default) or per named handler",
    )

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] >= attrs["until"]:
            raise serializers.ValidationError({"until": _("must be after since")})
        return attrs


class AreaStatsSerializer(serializers.Serializer):
    """One row of `cases.stats`: figures for an area (or the whole selection)."""

    area = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    first_time_resolution_rate = serializers.FloatField(allow_null=True)
    median_handling_hours = serializers.FloatField(allow_null=True)
    mean_handling_hours = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField()
    response_overdue = serializers.IntegerField()
    mean_rating = serializers.FloatField(allow_null=True)


class HandlerStatsSerializer(AreaStatsSerializer):
    """One row of the figures per handler (`by=assignee`)."""

    area = None
    name = None
    assignee = serializers.CharField(source="assignee_name", allow_null=True)


class StatsPageSerializer(serializers.Serializer):
    """The statistics response (documentation only): the window, the total, and a page of rows."""

    area = CaseAreaSerializer(allow_null=True)
    since = serializers.DateTimeField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True)
    total = AreaStatsSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AreaStatsSerializer(many=True)



class DepartmentSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="adcode", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "phone", "area"]


class DepartmentQuerySerializer(serializers.Serializer):
    area = serializers.SlugRelatedField(
        slug_field="adcode", queryset=Area.objects.defer("boundary"), required=False,
        error_messages={"does_not_exist": _("No area with adcode {value}.")},
    )
