"""The union back office: work the case queue, attach locations on a map, run transitions.

Every change goes through the model (`Case.amend`, `Case.perform`), so the admin writes the same
events, routes the same way and refuses the same transitions as the API.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter, helpers
from django.contrib.auth import get_user_model
from django.contrib.gis import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import export
from cases.models import (
    REPORTER,
    SYSTEM,
    TRANSITIONS,
    Action,
    Case,
    CaseEvent,
    Department,
    EventKind,
    NotCaseHolder,
    StaffMember,
    Status,
    TransitionNotAllowed,
    urgency,
)
from cases.routing import OUTSIDE_COVERAGE, route
from stations.admin import PointMapAdminMixin
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
        # Down to districts: towns would make the sidebar thousands of entries long. Only the
        # areas of the user's jurisdiction: the others would always list nothing.
        levels = [AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.DISTRICT]
        areas = Area.objects.filter(level__in=levels)
        union = StaffMember.union_of(request.user)
        if not request.user.is_superuser:
            areas = (
                areas.filter(path__startswith=union.home_area.path) if union else areas.none()
            )
        areas = areas.order_by("path").only("adcode", "name", "name_en", "depth")
        return [(a.adcode, "\u3000" * a.depth + a.display_name) for a in areas]

    def queryset(self, request, queryset):
        area = Area.objects.filter(adcode=self.value()).first() if self.value() else None
        return queryset.in_area(area) if area is not None else queryset


class CaseEventInline(admin.TabularInline):
    """The record, read-only: events are never edited or deleted (a trigger enforces it too)."""

    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "by_whom", "before", "after", "note", "public"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    # Statuses and the reporter and system actors are stored as codes; staff read them in their
    # language.
    @admin.display(description=_("by"))
    def by_whom(self, event: CaseEvent) -> str:
        return str(ACTOR_LABELS.get(event.actor_label, event.actor_label))

    @admin.display(description=_("from"))
    def before(self, event: CaseEvent) -> str:
        return _readable(event, event.from_value)

    @admin.display(description=_("to"))
    def after(self, event: CaseEvent) -> str:
        return _readable(event, event.to_value)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


ACTOR_LABELS = {REPORTER: _("the reporter"), SYSTEM: _("the system")}


def _readable(event: CaseEvent, value: str) -> str:
    if event.kind in (EventKind.STATUS, EventKind.CREATED) and value in Status.values:
        return str(Status(value).label)
    return value


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


class WorkspaceForm(forms.Form):
    """The inputs of the case page's action buttons (cases/templates/admin/cases/case/)."""

    action = forms.ChoiceField(choices=[*Action.choices, ("assign", _("assign"))])
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("handler"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_union(case.assigned_union)
        self.fields["assignee"].queryset = get_user_model().objects.filter(
            staff_member__union_id=case.assigned_union_id, is_active=True
        ).order_by("username")


def workspace_actions(case: Case, user) -> tuple[list[str], bool]:
    """The buttons the case page offers `user`, and whether it may name the handler: the
    status's actions from TRANSITIONS to the holder's staff (and superusers); take_over alone to
    a union above the holder; nothing to anyone else."""
    allowed = case.allowed_actions()
    try:
        case.check_actor(user, "assign")
    except NotCaseHolder:
        try:
            case.check_actor(user, Action.TAKE_OVER)
        except (NotCaseHolder, TransitionNotAllowed):
            return [], False
        return [a for a in allowed if a == Action.TAKE_OVER], False
    return [a for a in allowed if a != Action.TAKE_OVER], True


class CaseAdminForm(forms.ModelForm):
    """Refuses a place outside every area here, as a field error: `Case.amend` would refuse it too,
    but by then the page could only fail."""

    class Meta:
        model = Case
        # What staff may correct; the rest changes only through the workflow.
        fields = ["category", "description", "location", "address", "facility"]

    def clean(self):
        data = super().clean()
        for name in ("facility", "location"):
            if name not in self.changed_data or data.get(name) is None:
                continue
            point = data[name].location if name == "facility" else data[name]
            if route(point).area is None:
                self.add_error(name, OUTSIDE_COVERAGE)
        return data


@admin.register(Case)
class CaseAdmin(PointMapAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference", "category", "status", "assigned_union", "assignee", "due_at", "overdue",
        "response_overdue",
    ]
    form = CaseAdminForm
    list_filter = ["status", "category", "channel", AreaFilter, OverdueFilter]
    list_select_related = ["assigned_union", "assignee"]
    search_fields = ["reference", "description", "address", "reporter_phone"]
    date_hierarchy = "created_at"
    raw_id_fields = ["facility"]
    inlines = [CaseEventInline]
    action_form = CaseActionForm
    actions = [*(_transition_action(str(name)) for name in TRANSITIONS), "export_csv"]
    point_map_facility_field = "facility"
    # Editable: what staff may correct. The rest changes only through the action buttons.
    readonly_fields = [
        "reference", "status", "channel", "area", "assigned_union", "assignee",
        "location_source", "transferred_to", "created_at", "response_due_at", "due_at",
        "responded_at", "resolved_at", "closed_at", "resolution", "reopen_count",
        "reporter_name", "reporter_phone", "rating", "rating_comment", "overdue",
        "response_overdue", "photos",
    ]
    # Status, deadlines and who holds the case first: what staff decide on.
    fieldsets = [
        (_("Handling"), {"fields": [
            ("status", "overdue", "response_overdue"), ("response_due_at", "due_at"),
            ("assigned_union", "assignee"), "transferred_to", "area",
        ]}),
        (_("Case"), {"fields": [
            "reference", "category", "description", "channel", "created_at", "photos",
        ]}),
        (_("Location"), {"fields": ["location", "location_source", "address", "facility"]}),
        (_("Record"), {"classes": ["collapse"], "fields": [
            "responded_at", "resolved_at", "closed_at", "resolution", "reopen_count",
        ]}),
        (_("Reporter"), {"fields": [
            "reporter_name", "reporter_phone", "rating", "rating_comment",
        ]}),
    ]

    def get_queryset(self, request):
        # The same jurisdiction as the API: a union's staff never see another union's cases.
        return super().get_queryset(request).visible_to(request.user)

    def get_ordering(self, request):
        # The queue: overdue first, then by deadline. An expression, not an annotation's name:
        # related fields pointing at cases (outreach's visit issues) order their choices by it
        # too. A method: the `ordering` attribute's checks know only model fields.
        return [urgency().asc(), "due_at", "id"]

    def has_add_permission(self, request):
        # Cases come in through intake (API, hotline and station apps), which numbers and routes.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    class Media:
        css = {"all": ["cases/workspace.css"]}

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

    # A red badge when late, nothing otherwise: admin's boolean icons would show a late case
    # with a reassuring green tick.
    @admin.display(description=_("overdue"), ordering="due_at")
    def overdue(self, case: Case) -> str:
        return _late_badge(case.is_overdue, _("overdue"))

    @admin.display(description=_("response overdue"), ordering="response_due_at")
    def response_overdue(self, case: Case) -> str:
        return _late_badge(case.is_response_overdue, _("response overdue"))

    @admin.action(description=_("Export the selected cases as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        # The selection is within get_queryset, so within the user's jurisdiction.
        return export.cases(queryset)

    def get_urls(self):
        act = self.admin_site.admin_view(self.act_view)
        return [
            path("<int:object_id>/act/", act, name="cases_case_act"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        extra = extra_context or {}
        if case is not None:
            actions, may_assign = workspace_actions(case, request.user)
            extra["workspace"] = {
                "actions": [(a, Action(a).label, TRANSITIONS[a].requires) for a in actions],
                "may_assign": may_assign,
                "asks_department": Action.TRANSFER in actions,
                "asks_assignee": may_assign or Action.ACCEPT in actions,
                "form": WorkspaceForm(case),
                "url": reverse("admin:cases_case_act", args=[case.pk]),
            }
        return super().change_view(request, object_id, form_url, extra)

    def act_view(self, request, object_id):
        """POST from an action button of the case page: run it, report, back to the page."""
        return _act(self, request, object_id)

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


def _act(model_admin: CaseAdmin, request, object_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    case = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    form = WorkspaceForm(case, request.POST)
    page = redirect("admin:cases_case_change", case.pk)
    if not form.is_valid():
        model_admin.message_user(request, _errors_text(form.errors), messages.ERROR)
        return page
    data = form.cleaned_data
    try:
        if data["action"] == "assign":
            case.assign(request.user, data["assignee"])
        else:
            case.perform(
                data["action"], request.user, note=data["note"],
                department=data["department"], assignee=data["assignee"],
            )
    except ValidationError as exc:
        model_admin.message_user(request, _errors_text(exc.message_dict), messages.ERROR)
    except (TransitionNotAllowed, NotCaseHolder) as exc:
        model_admin.message_user(request, str(exc), messages.ERROR)
    else:
        label = _("assign") if data["action"] == "assign" else Action(data["action"]).label
        model_admin.message_user(request, f"{label}: {case.reference}", messages.SUCCESS)
    return page


def _late_badge(late: bool, text) -> str:
    return format_html('<strong class="ws-late">{}</strong>', text) if late else "-"


def _errors_text(errors: dict) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in errors.items())


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "union"]
    list_select_related = ["user", "union"]
    search_fields = ["user__username", "union__name"]
    raw_id_fields = ["user", "union"]


class DepartmentForm(forms.ModelForm):
    request = None  # set by DepartmentAdmin.get_form

    class Meta:
        model = Department
        fields = ["area", "name", "phone"]

    def clean_area(self):
        area = self.cleaned_data["area"]
        user = self.request.user if self.request is not None else None
        union = StaffMember.union_of(user) if user is not None else None
        if user is not None and not user.is_superuser and (
            union is None or not area.path.startswith(union.home_area.path)
        ):
            raise ValidationError(_("This area is outside your union's area."))
        return area


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Each jurisdiction's departments (transfer picks one); a union keeps its own area's and
    those below it."""

    form = DepartmentForm
    list_display = ["name", "area", "phone"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name", "area__adcode"]
    autocomplete_fields = ["area"]

    def get_queryset(self, request):
        departments = super().get_queryset(request).defer("area__boundary")
        if request.user.is_superuser:
            return departments
        union = StaffMember.union_of(request.user)
        if union is None:
            return departments.none()
        # Their own and the ones above them (read-only there: see has_change_permission).
        home = union.home_area
        return departments.filter(area__adcode__in=home.ancestor_adcodes) | departments.filter(
            area__path__startswith=home.path
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    @staticmethod
    def _owns(request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        union = StaffMember.union_of(request.user)
        return union is not None and obj.area.path.startswith(union.home_area.path)
