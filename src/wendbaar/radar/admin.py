"""Admin of the radar pipeline: runs are read-only records; postcodes can be corrected."""

from django.contrib import admin

from wendbaar.radar.models import Postcode, Run


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "status", "read", "accepted", "duplicates", "rejected", "enriched"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Run._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["pc4", "municipality"]
    search_fields = ["pc4", "municipality__name"]
    autocomplete_fields = ()
