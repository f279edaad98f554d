"""Admin of the funding app: read-only views for support. Rounds are opened and allocated through
`funding.allocation.services` (the seed commitment and the draw), situations are the person's own answers."""

from typing import Any

from django.contrib import admin

from wendbaar.funding.models import Round, Situation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "fund", "opens_at", "closes_at", "rule", "allocated_at"]
    list_filter = ["rule"]
    search_fields = ["name", "fund__name"]


@admin.register(Situation)
class SituationAdmin(ReadOnlyAdmin):
    list_display = ["person", "region", "sector", "education_level", "employment_status", "updated_at"]
    list_filter = ["region", "sector", "education_level", "employment_status"]
    search_fields = ["person__username"]
