from django.contrib.gis import admin

from outreach.models import Enterprise, Pairing, ReceptionSession, Visit, VisitIssue, VisitTarget


@admin.register(Enterprise)
class EnterpriseAdmin(admin.GISModelAdmin):
    list_display = ["name", "credit_code", "street", "industry", "is_key", "union", "owner"]
    list_filter = ["industry", "is_key"]
    search_fields = ["name", "credit_code", "street"]
    raw_id_fields = ["union", "owner"]
    readonly_fields = ["area"]


class VisitIssueInline(admin.TabularInline):
    model = VisitIssue
    raw_id_fields = ["case"]
    extra = 0


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "enterprise", "staff", "workers_met"]
    date_hierarchy = "visited_on"
    raw_id_fields = ["enterprise", "staff"]
    inlines = [VisitIssueInline]


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(admin.ModelAdmin):
    list_display = ["facility", "repeat", "date", "weekday", "starts", "ends", "host_name",
                    "host_role"]
    list_filter = ["repeat", "host_role"]
    raw_id_fields = ["facility"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["facility", "official_name", "role", "union"]
    raw_id_fields = ["facility", "union"]


admin.site.register(VisitTarget)
