"""API keys in the back office: listed by their first characters, issued, revoked, last use."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from open311.models import ApiKey, Open311Request, hash_key


class KeyStateFilter(admin.SimpleListFilter):
    title = pgettext_lazy("api key", "state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", pgettext_lazy("api key state", "in use")),
            ("revoked", pgettext_lazy("api key state", "revoked")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "union", "created_at", "last_used_at", "revoked_at"]
    list_filter = [KeyStateFilter]
    search_fields = ["name", "prefix", "union__name"]
    fields = ["name", "union", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    raw_id_fields = ["union"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # Who a key acts for is fixed once issued: a different union means a new key.
        return [*self.readonly_fields, "union"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, raw = ApiKey.issue(obj.name, obj.union)
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, hash_key(raw)
        messages.warning(
            request,
            _("The new key is shown only now; copy it: %(key)s") % {"key": raw},
        )

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: the requests a key made keep pointing at it.
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
        )


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ["case", "api_key", "device_id", "account_id"]
    search_fields = ["case__reference", "device_id", "account_id"]
    readonly_fields = ["case", "api_key", "device_id", "account_id", "email", "media_url"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
