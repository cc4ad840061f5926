from django.contrib.gis import admin

from stations.models import Area, Union


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
    raw_id_fields = ["area"]
