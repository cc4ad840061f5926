"""The union back office: work the case queue, attach locations on a map, run transitions.

Every change goes through the model (`Case.amend`, `Case.perform`), so the admin writes the same
events, routes the same way and refuses the same transitions as the API.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter, helpers
from django.contrib.gis import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import (
    TRANSITIONS,
    Action,
    Case,
    CaseEvent,
    StaffMember,
    TransitionNotAllowed,
)
from stations.models import Area, AreaLevel


class OverdueFilter(SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue().values("pk"))
        return queryset


class AreaFilter(SimpleListFilter):
    """An area and everything under it (a city shows its districts' cases too)."""

    title = _("area")
    parameter_name = "area"

    def lookups(self, request, model_admin):
        # Down to districts: towns would make the sidebar thousands of entries long.
        levels = [AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.DISTRICT]
        areas = Area.objects.filter(level__in=levels).order_by("path").only(
            "adcode", "name", "name_en", "depth"
        )
        return [(a.adcode, "\u3000" * a.depth + a.display_name) for a in areas]

    def queryset(self, request, queryset):
        area = Area.objects.filter(adcode=self.value()).first() if self.value() else None
        return queryset.in_area(area) if area is not None else queryset


class CaseEventInline(admin.TabularInline):
    """The record, read-only: events are never edited or deleted (a trigger enforces it too)."""

    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor_label", "from_value", "to_value", "note", "public"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseActionForm(helpers.ActionForm):
    note = forms.CharField(
        label=_("note"), required=False,
        help_text=_("The answer (resolve) or the reason (reject)."),
    )
    department = forms.CharField(label=_("department (transfer)"), required=False)


def _transition_action(name: str):
    def run(modeladmin, request, queryset):
        note = request.POST.get("note", "")
        department = request.POST.get("department", "")
        done, refused = [], []
        for case in queryset:
            try:
                case.perform(name, request.user, note=note, department=department)
                done.append(case.reference)
            except (TransitionNotAllowed, ValidationError) as exc:
                text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                refused.append(f"{case.reference}: {text}")
        if done:
            modeladmin.message_user(
                request,
                gettext("%(action)s: %(cases)s") % {"action": Action(name).label, "cases": ", ".join(done)},
                messages.SUCCESS,
            )
        if refused:
            modeladmin.message_user(request, " | ".join(refused), messages.WARNING)

    run.__name__ = f"perform_{name}"
    return admin.action(description=Action(name).label, permissions=["change"])(run)


@admin.register(Case)
class CaseAdmin(admin.GISModelAdmin):
    list_display = [
        "reference", "category", "status", "channel", "area", "assigned_union", "due_at",
        "overdue", "created_at",
    ]
    list_filter = ["status", "category", "channel", AreaFilter, OverdueFilter]
    list_select_related = ["area", "assigned_union"]
    search_fields = ["reference", "description", "address", "reporter_phone"]
    date_hierarchy = "created_at"
    raw_id_fields = ["facility"]
    inlines = [CaseEventInline]
    action_form = CaseActionForm
    actions = [_transition_action(str(name)) for name in TRANSITIONS]
    # Editable: what staff may correct. The rest changes only through transitions.
    readonly_fields = [
        "reference", "status", "channel", "area", "assigned_union", "location_source",
        "transferred_to", "created_at", "response_due_at", "due_at", "responded_at",
        "resolved_at", "closed_at", "resolution", "reopen_count", "reporter_name",
        "reporter_phone", "rating", "rating_comment", "allowed", "photos",
    ]
    fieldsets = [
        (None, {"fields": [
            "reference", "status", "allowed", "category", "description", "channel", "photos",
        ]}),
        (_("Location"), {"fields": ["location", "location_source", "address", "facility"]}),
        (_("Handling"), {"fields": [
            "area", "assigned_union", "transferred_to", "created_at", "response_due_at",
            "due_at", "responded_at", "resolved_at", "closed_at", "resolution", "reopen_count",
        ]}),
        (_("Reporter"), {"fields": [
            "reporter_name", "reporter_phone", "rating", "rating_comment",
        ]}),
    ]
    gis_widget_kwargs = {"attrs": {"default_lon": 116.4, "default_lat": 39.9, "default_zoom": 5}}

    def get_queryset(self, request):
        # The same jurisdiction as the API: a union's staff never see another union's cases.
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        # Cases come in through intake (API, hotline and station apps), which numbers and routes.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, case: Case) -> bool:
        return case.is_overdue

    @admin.display(description=_("photos"))
    def photos(self, case: Case) -> str:
        """The reporter's photos, through the authenticated staff view (they have no public URL)."""
        urls = [reverse("cases:case-photo", args=[case.reference, p.pk]) for p in case.photos.all()]
        if not urls:
            return "-"
        return format_html_join(
            " ", '<a href="{}"><img src="{}" alt="" style="max-height:160px"></a>',
            ((url, url) for url in urls),
        )

    @admin.display(description=_("allowed actions"))
    def allowed(self, case: Case) -> str:
        return ", ".join(str(Action(a).label) for a in case.allowed_actions()) or "-"

    def save_model(self, request, obj, form, change):
        # Not obj.save(): amend records an event per change and routes a received case whose
        # location was just attached. A removed location is ignored: locations are corrected.
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        Case.objects.get(pk=obj.pk).amend(
            request.user,
            location=changed.get("location"),
            facility=changed.get("facility", ...),
            category=changed.get("category"),
            description=changed.get("description"),
            address=changed.get("address"),
        )


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "union"]
    list_select_related = ["user", "union"]
    search_fields = ["user__username", "union__name"]
    raw_id_fields = ["user", "union"]
