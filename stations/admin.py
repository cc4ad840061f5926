import io

import segno
from django import forms
from django.contrib.admin import SimpleListFilter
from django.contrib.gis import admin
from django.contrib.gis.db.models import PointField
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations import jurisdiction
from stations.checkins import per_day as checkins_per_day
from stations.models import Amenity, Area, Facility, Union
from stations.widgets import PointMapWidget


class PointMapAdminMixin:
    """Point fields on the project's own map widget (no OpenLayers from a CDN), opening on the
    staff member's jurisdiction. `point_map_facility_field` names a facility field whose
    location the widget offers to copy."""

    point_map_facility_field: str | None = None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, PointField):
            kwargs["widget"] = PointMapWidget(attrs={
                "bounds": jurisdiction.bounds(request.user),
                "facility_field": self.point_map_facility_field,
            })
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class UnionInline(admin.StackedInline):
    model = Union
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["adcode", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["adcode", "name", "name_en"]
    # Boundaries come from `import_areas` (and rebuild the point-in-polygon pieces there); they
    # are not drawn by hand, and showing one as text would be megabytes of coordinates.
    exclude = ["boundary"]
    readonly_fields = ["path", "depth", "extent"]
    raw_id_fields = ["parent"]
    inlines = [UnionInline]

    def has_add_permission(self, request):
        return False  # an area needs its boundary: `manage.py import_areas`

    @admin.display(description=_("extent"))
    def extent(self, area: Area) -> str:
        return ", ".join(f"{v:.4f}" for v in area.boundary.extent) if area.boundary else "-"


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
    request = None  # set by FacilityAdmin.get_form: the jurisdiction is the staff member's

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

    def clean_location(self):
        location = self.cleaned_data.get("location")
        if self.request is not None and not jurisdiction.covers(self.request.user, location):
            raise ValidationError(jurisdiction.OUTSIDE)
        return location


@admin.register(Facility)
class FacilityAdmin(PointMapAdminMixin, admin.ModelAdmin):
    """Every facility is listed (staff send riders across boundaries), but only those inside the
    staff member's jurisdiction can be changed or deleted, and only to places inside it."""

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


    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or jurisdiction.covers(request.user, obj.location))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or jurisdiction.covers(request.user, obj.location))


def facility_qr(url: str) -> segno.QRCode:
    # Error correction Q (25 %): printed codes get scratched and rained on outdoors.
    return segno.make(url, error="q", boost_error=False)

