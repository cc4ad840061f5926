import io

import segno
from django import forms
from django.contrib.admin import SimpleListFilter
from django.contrib.gis import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations.checkins import per_day as checkins_per_day
from stations.models import Amenity, Area, Facility, Union


class UnionInline(admin.StackedInline):
    model = Union
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.GISModelAdmin):
    list_display = ["adcode", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["adcode", "name", "name_en"]
    readonly_fields = ["path", "depth"]
    raw_id_fields = ["parent"]
    inlines = [UnionInline]


@admin.register(Union)
class UnionAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "phone"]
    search_fields = ["name", "name_en", "area__name", "area__adcode"]
    raw_id_fields = ["area", "parent"]


class FacilityAreaFilter(SimpleListFilter):
    """By area, sub-areas included; offers provinces, cities and districts (towns would make the
    list too long to use)."""

    title = _("area")
    parameter_name = "area"

    def lookups(self, request, model_admin):
        areas = Area.objects.filter(depth__lte=2).only("adcode", "name", "name_en", "depth")
        return [(a.adcode, "\u3000" * a.depth + a.display_name) for a in areas]

    def queryset(self, request, queryset):
        area = Area.objects.filter(adcode=self.value()).first() if self.value() else None
        return queryset.in_area(area) if area else queryset


class FacilityAdminForm(forms.ModelForm):
    amenities = forms.MultipleChoiceField(
        choices=Amenity.choices, widget=forms.CheckboxSelectMultiple, required=False,
        label=_("amenities"),
    )

    class Meta:
        model = Facility
        fields = [
            "external_id", "kind", "name", "address", "location", "operator", "phone", "status",
            "amenities", "opening_hours", "seats", "meal_price_min", "meal_price_max", "sockets",
            "battery_swap", "charging_price", "last_verified",
        ]


@admin.register(Facility)
class FacilityAdmin(admin.GISModelAdmin):
    form = FacilityAdminForm
    list_display = ["name", "kind", "status", "area", "opening_hours", "last_verified"]
    list_filter = ["kind", "status", FacilityAreaFilter]
    list_select_related = ["area"]
    search_fields = ["name", "address", "external_id", "phone"]
    # `area` follows the location (set on save); the hours' derived columns are not editable.
    readonly_fields = ["area", "qr_code", "checkins", "created_at", "updated_at"]
    raw_id_fields = ["operator"]

    def get_urls(self):
        qr = self.admin_site.admin_view(self.qr_svg)
        return [
            path("<int:pk>/qr.svg", qr, name="stations_facility_qr"),
            *super().get_urls(),
        ]

    @admin.display(description=_("Check-ins"))
    def checkins(self, facility: Facility) -> str:
        """Riders' "I am here" for the last week, per local day: how much the place is used,
        and whether it was found open."""
        if facility.pk is None:
            return "-"
        days = checkins_per_day(facility, timezone.now(), days=7)
        return ", ".join(f"{day:%m-%d}: {count}" for day, count in days) or "-"

    @admin.display(description=_("QR code for the place"))
    def qr_code(self, facility: Facility) -> str:
        """The facility page's QR code, to print and put up at the place."""
        if facility.pk is None:
            return "-"
        svg = reverse("admin:stations_facility_qr", args=[facility.pk])
        return format_html(
            '<img src="{}" width="180" height="180" alt="{}"><br>'
            '<a href="{}" download="facility-{}.svg">{}</a>',
            svg, _("QR code of the facility page"), svg, facility.pk,
            _("Download for printing (SVG)"),
        )

    def qr_svg(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The QR code of /s/{id}/ on this host, drawn here by segno: no web service sees it."""
        facility = get_object_or_404(Facility, pk=pk)
        if not self.has_view_permission(request, facility):
            return HttpResponse(status=403)
        url = request.build_absolute_uri(reverse("stations:facility-page", args=[facility.pk]))
        out = io.BytesIO()
        facility_qr(url).save(out, kind="svg", scale=10, border=4)
        return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def facility_qr(url: str) -> segno.QRCode:
    # Error correction Q (25 %): printed codes get scratched and rained on outdoors.
    return segno.make(url, error="q", boost_error=False)
