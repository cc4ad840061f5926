"""Webhooks, the delivery log and e-mail opt-outs in the back office.

A webhook's secret is asked for once, when it is added (or generated and shown once), and never
displayed again; a paused webhook is marked and can be resumed with an action.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import StaffMember
from notify.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    EmailOptOut,
    EventType,
    Subscription,
)


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("webhook URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("event types"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        label=_("signing secret"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to generate one; it is shown only once."),
    )

    class Meta:
        model = Subscription
        fields = ["url", "events", "union", "is_active", "secret"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["secret"]  # never shown again, never replaced by an empty field

    def clean_secret(self) -> str:
        # The secret typed, or one generated and shown once by SubscriptionAdmin.save_model.
        typed = self.cleaned_data.get("secret", "")
        self.generated = not typed
        return typed or secrets.token_urlsafe(32)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["url", "delivering", "consecutive_failures", "paused_at", "union", "event_list"]
    list_filter = ["is_active", ("paused_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["paused_at", "consecutive_failures", "created_at"]
    actions = ["resume"]

    def get_queryset(self, request):
        # As in the API: a union's staff see their own union's webhooks only.
        subs = super().get_queryset(request)
        if request.user.is_superuser:
            return subs
        union = StaffMember.union_of(request.user)
        return subs.filter(union=union) if union is not None else subs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "union" and not request.user.is_superuser:
            # Only a superuser subscribes to every union's cases, or to another union's.
            union = StaffMember.union_of(request.user)
            field.queryset = field.queryset.filter(pk=union.pk if union else None)
            field.required = True
        return field

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [f for f in fields if f != "secret"] if obj is not None else fields

    @admin.display(description=_("event types"))
    def event_list(self, sub: Subscription) -> str:
        return ", ".join(sub.events)

    @admin.display(description=_("delivering"), boolean=True)
    def delivering(self, sub: Subscription) -> bool:
        """A red mark for a webhook that is paused (or turned off): its deliveries wait."""
        return sub.is_active and sub.paused_at is None

    @admin.action(description=_("Resume the selected webhooks"))
    def resume(self, request, queryset):
        count = queryset.update(paused_at=None, consecutive_failures=0)
        self.message_user(request, _("%(count)d webhooks resumed") % {"count": count})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and getattr(form, "generated", False):
            self.message_user(
                request, _("Secret (shown only now): %(secret)s") % {"secret": obj.secret},
                messages.WARNING,
            )


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["at", "ok", "status_code", "error", "duration_ms", "next_attempt_at", "wait"]
    readonly_fields = fields

    @admin.display(description=_("backoff"))
    def wait(self, attempt: DeliveryAttempt) -> str:
        if attempt.next_attempt_at is None:
            return "-"
        return f"{(attempt.next_attempt_at - attempt.at).total_seconds():.0f} s"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "event_type", "case_reference", "receiver", "status", "attempts",
        "next_attempt_at", "last_error",
    ]
    list_filter = ["status", "event_type", "subscription"]
    search_fields = ["case_reference", "event_id", "recipient"]
    inlines = [AttemptInline]
    actions = ["retry_now"]

    def get_queryset(self, request):
        # A union's staff see their webhooks' deliveries and the e-mails to themselves.
        deliveries = super().get_queryset(request).select_related("subscription")
        if request.user.is_superuser:
            return deliveries
        union = StaffMember.union_of(request.user)
        mine = Q(recipient=request.user.email) if request.user.email else Q(pk__in=[])
        return deliveries.filter(mine | Q(subscription__union=union) if union else mine)

    @admin.display(description=_("receiver"))
    def receiver(self, delivery: Delivery) -> str:
        return str(delivery.subscription or delivery.recipient)

    @admin.action(description=_("Retry the selected deliveries now"))
    def retry_now(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())
        self.message_user(request, _("%(count)d deliveries will be retried now") % {"count": count})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is kept: a delivery is never silently dropped


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    """Superusers see everyone's; a staff member only their own (they can also use
    PUT /api/notifications/email/)."""

    list_display = ["user", "kind"]
    list_filter = ["kind"]

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("user")
        return rows if request.user.is_superuser else rows.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(pk=request.user.pk)
        return field
