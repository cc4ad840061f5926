"""Facilities as GeoJSON, the write rules of the catalogue, and the nearest search's parameters."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from stations.checkins import CheckInSummary
from stations.checkins import summary as checkin_summary
from stations.coords import CRS_CHOICES, LocationSerializer, to_wgs84
from stations.details import facility_details, freshness
from stations.hours import HoursError, parse_hours
from stations.models import Amenity, Facility, FacilityKind, Union

PROPERTIES_MESSAGE = _("must be an object of the facility's fields (a GeoJSON Feature's properties)")
MAX_RADIUS_M = 50_000
MAX_NEAREST = 50


@extend_schema_field(OpenApiTypes.STR)
class UnionByAdcode(serializers.SlugRelatedField):
    """A union named by the adcode of the area it is responsible for (unions are one per area)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Union.objects.select_related("area"))
        super().__init__(slug_field="area__adcode", **kwargs)


class AmenityListField(serializers.ListField):
    """Amenities from the contract's vocabulary, duplicates dropped; a bad one is reported as a
    flat message list naming the value (not DRF's {position: [...]}), as the contract shows."""

    child = serializers.ChoiceField(
        choices=Amenity.values,
        error_messages={"invalid_choice": _("“{input}” is not a known amenity")},
    )

    def to_internal_value(self, data: Any) -> list[str]:
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict):
                detail = [message for messages in detail.values() for message in messages]
            raise serializers.ValidationError(detail) from None
        return sorted(set(values))


class FacilitySerializer(GeoFeatureModelSerializer):
    """A facility as a GeoJSON Feature; also the write rules for staff edits and the importer.

    The location is written either as `lat`/`lon` with an optional `crs` (wgs84, gcj02, bd09;
    read by `LocationSerializer`) or as a GeoJSON Point `location`, to which `crs` also applies.
    Kind-specific fields follow `Facility.clean()`, which mirrors the named check constraints, so
    a bad combination is a 400 on the field rather than an IntegrityError.
    """

    area = serializers.SlugRelatedField(slug_field="adcode", read_only=True)
    operator = UnionByAdcode(required=False, allow_null=True)
    amenities = AmenityListField(required=False)
    is_open_now = serializers.SerializerMethodField()

    class Meta:
        model = Facility
        geo_field = "location"
        fields = [
            "id", "external_id", "kind", "name", "address", "location", "area", "operator",
            "phone", "status", "amenities", "opening_hours", "is_open_now", "seats",
            "meal_price_min", "meal_price_max", "sockets", "battery_swap", "charging_price",
            "last_verified", "updated_at",
        ]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "location": {"required": False},
            "sockets": {"min_value": 0},
            "meal_price_min": {"min_value": 0},
            "meal_price_max": {"min_value": 0},
            "charging_price": {"min_value": 0},
        }

    def get_is_open_now(self, facility: Facility) -> bool:
        # One moment per request (the view passes it), so every row is judged at the same time.
        return facility.is_open_at(self.context.get("now") or timezone.now())

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # rejects it as "invalid"
        if "properties" in data:  # a GeoJSON Feature
            if not isinstance(data["properties"], Mapping):
                # Also a multipart or form `properties`, which can only be text.
                raise serializers.ValidationError({"properties": [PROPERTIES_MESSAGE]})
            data = self.unformat_geojson(data)
        errors: dict[str, Any] = {}
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            attrs, errors = {}, dict(exc.detail)
        try:
            point = self._point(data, attrs.get("location"))
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        else:
            if point is not None:
                attrs["location"] = point
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _point(self, data: Mapping[str, Any], geojson: GEOSGeometry | None) -> Point | None:
        """The WGS84 point from `lat`/`lon`/`crs` or from a GeoJSON `location`, or None."""
        given = {name: data[name] for name in ("lat", "lon", "crs") if name in data}
        if geojson is not None:
            if "lat" in given or "lon" in given:
                raise serializers.ValidationError(
                    {"location": [_("give either location or lat/lon, not both")]}
                )
            if geojson.geom_type != "Point" or geojson.srid not in (None, 4326):
                raise serializers.ValidationError(
                    {"location": [_("must be a GeoJSON Point in longitude, latitude")]}
                )
            given.update(lon=geojson.x, lat=geojson.y)
        location = LocationSerializer(data=given, optional=True)
        if not location.is_valid():
            # A GeoJSON location's coordinate errors belong to `location`, not to lat/lon.
            key = "location" if geojson is not None else None
            raise serializers.ValidationError(
                {key or name: msgs for name, msgs in location.errors.items()}
            )
        return location.validated_data["point"]  # converted to WGS84 from `crs`

    def validate_opening_hours(self, value: str) -> str:
        try:
            return parse_hours(value).text
        except HoursError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and attrs.get("location") is None:
            raise serializers.ValidationError(
                {"location": [_("required: give lat and lon, or a GeoJSON Point location")]}
            )
        # The model's rules on the facility as it would be after this write.
        candidate = copy.copy(self.instance) if self.instance is not None else Facility()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs


class NearestQuerySerializer(LocationSerializer):
    """Query parameters of `GET /api/facilities/nearest/`: a point (lat, lon, crs) and filters."""

    kind = serializers.ChoiceField(
        choices=FacilityKind.values, required=False,
        error_messages={"invalid_choice": format_lazy(
            _("must be one of {choices}"), choices=", ".join(FacilityKind.values)
        )},
    )
    amenity = AmenityListField(required=False)
    open_now = serializers.BooleanField(default=False)
    radius = serializers.FloatField(
        min_value=1, max_value=MAX_RADIUS_M, required=False,
        error_messages={"max_value": _("must be at most {max_value} metres"),
                        "min_value": _("must be at least {min_value} metre")},
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_NEAREST, default=5,
        error_messages={"max_value": _("must be at most {max_value}")},
    )

    def validate_radius(self, value: float) -> float:
        if not math.isfinite(value):
            raise serializers.ValidationError(_("must be a finite number of metres"))
        return value


_KINDS = frozenset(FacilityKind.values)
_AMENITIES = frozenset(Amenity.values)
_NEAREST_PARAMETERS = frozenset({"lat", "lon", "crs", "kind", "amenity", "open_now", "radius",
                                 "limit"})


def plain_nearest_query(query: Mapping[str, list[str]]) -> dict[str, Any] | None:
    """`NearestQuerySerializer(data=query).validated_data` for plainly valid parameters, read
    without the serializer; None for anything else, which the serializer then reads (and words
    the errors of, in the reader's language).

    The nearest search is the service's hottest request, and the serializer cost about a third
    of its Python time (docs/performance-nearest.md). This accepts only what the serializer
    accepts and gives the same values (tests/facilities/test_nearest_plain_query.py holds the
    two equal); the serializer stays the one definition of the parameters and of the schema.
    `query` maps each name to its values (`QueryDict.lists()`). `point` is a WGS84 (lon, lat)
    pair here, a GEOS Point there; `Facility.objects.nearest` takes either.
    """
    for name, values in query.items():
        if name in _NEAREST_PARAMETERS and name != "amenity" and len(values) != 1:
            return None  # repeated: the serializer's rule (the last one wins)
        if name.startswith("amenity["):
            return None  # DRF's indexed list form, amenity[0]=...
        if any(len(value) > 100 for value in values):
            return None  # DRF refuses numbers written in over 1,000 characters
    try:
        lat, lon = float(query["lat"][0]), float(query["lon"][0])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for NaN
            return None
        crs = query.get("crs", ["wgs84"])[0]
        limit = int(query.get("limit", ["5"])[0])
        open_now = query.get("open_now", ["false"])[0]
        kind = query.get("kind", [None])[0]
        amenities = query.get("amenity", [])
        radius = float(query["radius"][0]) if "radius" in query else None
    except (KeyError, ValueError, OverflowError):
        return None
    if (crs not in CRS_CHOICES or not 1 <= limit <= MAX_NEAREST
            or (kind is not None and kind not in _KINDS)
            or not _AMENITIES.issuperset(amenities)
            or (radius is not None and not 1 <= radius <= MAX_RADIUS_M)):
        return None
    open_now = open_now.lower()
    if open_now in serializers.BooleanField.TRUE_VALUES:
        open_now = True
    elif open_now in serializers.BooleanField.FALSE_VALUES:
        open_now = False
    else:
        return None
    # The point as WGS84 (lon, lat), not a GEOS Point: making one per search was measurable.
    params = {"lat": lat, "lon": lon, "crs": crs, "point": to_wgs84(lon, lat, crs),
              "open_now": open_now, "limit": limit}
    if kind is not None:
        params["kind"] = kind
    if "amenity" in query:
        params["amenity"] = sorted(set(amenities))
    if radius is not None:
        params["radius"] = radius
    return params


def nearest_feature_collection(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """GeoJSON for the rows of `Facility.objects.nearest()`.

    Built by hand because this is the hottest response of the service: DRF-gis serialisation
    took most of the request time in our measurements. The rows come from the database ready
    for JSON; property names and formats match `FacilitySerializer` (a test holds them equal).
    """
    features = []
    for row in rows:
        geometry = {"type": "Point", "coordinates": [row.pop("lon"), row.pop("lat")]}
        row["distance_m"] = round(row["distance_m"], 1)
        features.append(
            {"id": row.pop("id"), "type": "Feature", "geometry": geometry, "properties": row}
        )
    return {"type": "FeatureCollection", "features": features}


class FacilityDetailSerializer(FacilitySerializer):
    """One facility for riders: the catalogue fields plus what to read before going
    (`details`: readable hours, next opening or closing, facts, whom to call, navigation links,
    in the request's language) and how fresh it is (`checkins_today`, `last_confirmed_at`).

    Only the detail route uses it: the nearest search keeps its own lean rows."""

    checkins_today = serializers.SerializerMethodField()
    last_confirmed_at = serializers.SerializerMethodField()
    details = serializers.SerializerMethodField()

    class Meta(FacilitySerializer.Meta):
        fields = [*FacilitySerializer.Meta.fields, "checkins_today", "last_confirmed_at", "details"]

    def _summary(self, facility: Facility) -> CheckInSummary:
        cached = getattr(facility, "_checkin_summary", None)
        if cached is None:
            cached = facility._checkin_summary = checkin_summary(
                facility, self.context.get("now") or timezone.now()
            )
        return cached

    def get_checkins_today(self, facility: Facility) -> int:
        return self._summary(facility).checkins_today

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_last_confirmed_at(self, facility: Facility) -> str | None:
        last = self._summary(facility).last_confirmed_at
        return serializers.DateTimeField().to_representation(last) if last else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_details(self, facility: Facility) -> dict[str, Any]:
        now = self.context.get("now") or timezone.now()
        return {
            **facility_details(facility, now),
            "freshness": freshness(self._summary(facility).last_confirmed_at, now),
        }


class CheckInSerializer(serializers.Serializer):
    """The device's random id, kept in the browser's storage; only an HMAC of it is stored."""

    device = serializers.RegexField(
        r"^[A-Za-z0-9_-]{16,100}$",
        error_messages={"invalid": "must be 16-100 letters, digits, - or _ (a random id kept "
                                   "on the device)"},
    )
