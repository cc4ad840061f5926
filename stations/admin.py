from django import forms
from django.contrib.admin import SimpleListFilter
from django.contrib.gis import admin
from django.utils.translation import gettext_lazy as _

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
    readonly_fields = ["area", "created_at", "updated_at"]
    raw_id_fields = ["operator"]
