"""Admin views of the demand app (read-only: demand changes go through the pages, the API and services)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wendbaar.demand.models import Demand, DemandSkill, Gap, Pool, PoolingRun, Proposal


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DemandSkillInline(admin.TabularInline):
    model = DemandSkill
    extra = 0
    raw_id_fields = ("skill",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Demand)
class DemandAdmin(ReadOnly):
    list_display = ("__str__", "organisation", "people", "region", "status", "pool")
    list_filter = ("status", "region")
    search_fields = ("title", "organisation__name")
    inlines = [DemandSkillInline]


@admin.register(Pool)
class PoolAdmin(ReadOnly):
    list_display = ("uuid", "region", "people", "organisations", "status", "cross_region")
    list_filter = ("status", "cross_region", "region")


@admin.register(Gap)
class GapAdmin(ReadOnly):
    list_display = ("uuid", "region", "people", "organisations", "best_coverage", "is_open")
    list_filter = ("is_open", "region")


admin.site.register(Proposal, ReadOnly)
admin.site.register(PoolingRun, ReadOnly)
