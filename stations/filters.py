"""Filters of `GET /api/facilities/`; a bad value is a 400 naming the parameter."""

from __future__ import annotations

import math

import django_filters
from django import forms
from django.contrib.gis.geos import Polygon
from django.utils import timezone

from stations.models import Amenity, Area, FacilityKind, FacilityQuerySet, FacilityStatus


class BBoxField(forms.CharField):
    """`minlon,minlat,maxlon,maxlat` in WGS84 degrees, as a polygon."""

    def to_python(self, value: str | None) -> Polygon | None:
        value = super().to_python(value)
        if not value:
            return None
        parts = value.split(",")
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(parts) != 4 or len(numbers) != 4 or not all(map(math.isfinite, numbers)):
            raise forms.ValidationError("must be minlon,minlat,maxlon,maxlat in decimal degrees")
        west, south, east, north = numbers
        if not (-180 <= west <= 180 and -180 <= east <= 180):
            raise forms.ValidationError("longitudes must be between -180 and 180")
        if not (-90 <= south <= 90 and -90 <= north <= 90):
            raise forms.ValidationError("latitudes must be between -90 and 90")
        if west > east or south > north:
            raise forms.ValidationError("min must not exceed max (minlon,minlat,maxlon,maxlat)")
        box = Polygon.from_bbox((west, south, east, north))
        box.srid = 4326
        return box


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error rather than silently ignored."""

    TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}

    def to_python(self, value: str | None) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("must be true or false")


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class FacilityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices)
    status = django_filters.ChoiceFilter(choices=FacilityStatus.choices)
    # Repeatable, and every one is required: ?amenity=toilet&amenity=microwave
    amenity = django_filters.MultipleChoiceFilter(
        choices=Amenity.choices, method="filter_amenity"
    )
    # An adcode; the area's sub-areas are included.
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(), to_field_name="adcode", method="filter_area"
    )
    bbox = BBoxFilter(method="filter_bbox")
    open_now = StrictBooleanFilter(method="filter_open_now")

    def filter_amenity(self, queryset: FacilityQuerySet, name: str, value: list[str]):
        return queryset.with_amenities(value)

    def filter_area(self, queryset: FacilityQuerySet, name: str, value: Area):
        return queryset.in_area(value)

    def filter_bbox(self, queryset: FacilityQuerySet, name: str, value: Polygon):
        # `&&` against the box is exact for points and uses the GiST index.
        return queryset.filter(location__bboverlaps=value)

    def filter_open_now(self, queryset: FacilityQuerySet, name: str, value: bool):
        return queryset.open_at(timezone.now()) if value else queryset
