"""GeoReport v2 input, checked at the edge; errors name the spec's parameter."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from cases.serializers import DESCRIPTION_MAX
from open311.georeport import ATTRIBUTES, CLOSED, OPEN
from stations.coords import LocationSerializer
from stations.models import Area, Facility

# The spec's limits for GET requests: 90 days by default and at most, 1,000 requests at most.
DEFAULT_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
ATTRIBUTE_PARAM = re.compile(r"^attribute\[([A-Za-z0-9_-]+)\]$")
CJK = re.compile(r"[\u3400-\u9fff]")


class ServiceRequestInput(serializers.Serializer):
    """POST requests. `lat`/`long` are WGS84 (GeoReport has no other datum); `service_code` and
    `jurisdiction_id` are checked by the view (404s, not 400s)."""

    address_string = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    device_id = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    account_id = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    first_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(
        r"^[0-9+\-() ]{3,40}$", max_length=40, required=False, allow_blank=True, default="",
        error_messages={"invalid": _("digits, spaces and + - ( ) only")},
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )
    media_url = serializers.URLField(max_length=2000, required=False, allow_blank=True, default="")
    # An extension: with device_id, makes a retry return the first request instead of a second.
    client_token = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def __init__(self, *args, service_code: str, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_code = service_code
        self.area = area  # the request's `jurisdiction_id`, already looked up

    def to_internal_value(self, data):
        errors, attrs = {}, {}
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        location = LocationSerializer(
            data={name: data[param] for name, param in (("lat", "lat"), ("lon", "long"))
                  if data.get(param) not in (None, "")},
            optional=True,
        )
        if not location.is_valid():
            errors.update({"long" if k == "lon" else k: v for k, v in location.errors.items()})
        try:
            attrs["facility"] = self._facility(_attributes(data))
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        attrs["point"] = location.validated_data["point"]
        return attrs

    def validate(self, attrs):
        # Somewhere to route the case to: a point, a facility, or an address in a named area.
        addressed = bool(attrs["address_string"].strip()) and self.area is not None
        if attrs["point"] is None and attrs["facility"] is None and not addressed:
            raise serializers.ValidationError(
                _("a location is required: lat and long, or address_string with jurisdiction_id")
            )
        return attrs

    def _facility(self, attributes: dict[str, str]) -> Facility | None:
        wanted = {a.code: a for a in ATTRIBUTES.get(self.service_code, [])}
        if "facility" not in wanted:
            return None
        value = attributes.get("facility", "").strip()
        if not value:
            raise serializers.ValidationError({"attribute[facility]": [pgettext_lazy("open311", "required")]})
        facility = (
            Facility.objects.filter(pk=int(value)).first()
            if value.isdigit() and len(value) < 19 else None
        )
        if facility is None:
            raise serializers.ValidationError(
                {"attribute[facility]": [_("no facility with this id")]}
            )
        return facility


def _attributes(data) -> dict[str, str]:
    """`attribute[code]=value` form fields (and a JSON body's `attribute` object)."""
    found = {}
    nested = data.get("attribute")
    if isinstance(nested, dict):
        found.update({str(k): str(v) for k, v in nested.items()})
    for name in data:
        match = ATTRIBUTE_PARAM.match(name)
        if match:
            found[match.group(1)] = str(data.get(name))
    return found


def reporter_name(first: str, last: str) -> str:
    """Chinese names are family name first with no space (王 + 小明 = 王小明); others first last."""
    first, last = first.strip(), last.strip()
    if CJK.search(first + last):
        return last + first
    return f"{first} {last}".strip()


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


class RequestQuery(serializers.Serializer):
    """GET requests' filters. Several `service_code`s or `status`es may be comma-separated."""

    service_request_id = serializers.CharField(required=False, allow_blank=True, default="")
    service_code = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateTimeField(required=False)
    end_date = serializers.DateTimeField(required=False)
    page = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_RESULTS, required=False, default=MAX_RESULTS
    )

    def validate_service_request_id(self, value: str) -> list[str]:
        ids = _codes(value)
        if len(ids) > MAX_RESULTS:
            raise serializers.ValidationError(_("at most 1000 ids"))
        return ids

    def validate_service_code(self, value: str) -> list[str]:
        return _codes(value)

    def validate_status(self, value: str) -> list[str]:
        statuses = _codes(value)
        if any(s not in (OPEN, CLOSED) for s in statuses):
            raise serializers.ValidationError(_("must be open or closed"))
        return statuses

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - DEFAULT_SPAN
        if end is None:
            end = start + DEFAULT_SPAN
        if start > end:
            raise serializers.ValidationError({"end_date": _("must not be before start_date")})
        if end - start > DEFAULT_SPAN:
            raise serializers.ValidationError({"end_date": _("may be at most 90 days after start_date")})
        attrs["start_date"], attrs["end_date"] = start, end
        return attrs
