"""Admin views of the catalogue (read-mostly: changes go through the provider pages and services)."""

from django.contrib import admin

from wendbaar.catalogue.models import Offering, OfferingSkill, Provider, Qualification, Run


class RunInline(admin.TabularInline):
    model = Run
    extra = 0
    readonly_fields = ("is_evening", "is_weekend")


class OfferingSkillInline(admin.TabularInline):
    model = OfferingSkill
    extra = 0
    raw_id_fields = ("skill",)


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("title_nl", "provider", "credential_type", "region", "mode", "status")
    list_filter = ("credential_type", "mode", "status", "region")
    search_fields = ("title_nl", "title_en", "code")
    raw_id_fields = ("provider", "municipality", "crebo")
    inlines = [RunInline, OfferingSkillInline]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("organisation", "short_name", "brin_code")


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "sector_chamber_name")
    search_fields = ("code", "name")
