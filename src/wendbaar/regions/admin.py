"""Admin pages for regions, municipalities, organisations and memberships."""

from django import forms
from django.contrib import admin

from wendbaar.regions.models import Membership, Municipality, Organisation, Region
from wendbaar.regions.services import check_membership


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    fields = ["code", "name"]
    readonly_fields = ["code", "name"]
    extra = 0
    can_delete = False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    readonly_fields = ["uuid", "geometry"]
    inlines = [MunicipalityInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    """Read-only here: memberships are added on their own page, where the role rules are checked."""

    model = Membership
    fields = ["user", "role", "is_learning_ambassador"]
    readonly_fields = ["user", "role", "is_learning_ambassador"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk", "actor_type", "sector", "size_class"]
    list_filter = ["actor_type", "sector", "size_class", "regions"]
    search_fields = ["name", "kvk"]
    filter_horizontal = ["regions"]
    inlines = [MembershipInline]


class MembershipForm(forms.ModelForm):
    """The admin goes through the same role rules as the rest of the platform."""

    class Meta:
        model = Membership
        fields = ["user", "role", "organisation", "region", "is_learning_ambassador"]

    def clean(self) -> dict:
        data = super().clean() or {}
        if "role" in data:
            check_membership(data["role"], data.get("organisation"), data.get("region"))
        return data


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "role", "organisation", "region", "is_learning_ambassador"]
    list_filter = ["role", "region"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
