"""Admin of the hub: read-mostly views for support; the pages and API are where people work."""

from django.contrib import admin

from wendbaar.hub.models import Action, ActionChange, Event, Initiative, Profile, Registration


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "status", "adopted_from", "created_at"]
    list_filter = ["status", "region"]
    search_fields = ["title", "goal"]
    readonly_fields = ["uuid", "skills", "created_at", "updated_at"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "owner", "deadline", "status"]
    list_filter = ["status", "region"]


@admin.register(ActionChange)
class ActionChangeAdmin(admin.ModelAdmin):
    list_display = ["action", "changed_by", "changed_at"]
    readonly_fields = [f.name for f in ActionChange._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "region", "starts_at", "capacity", "cancelled"]
    list_filter = ["kind", "region", "cancelled"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "created_at"]
    list_filter = ["status"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "findable", "region", "organisation"]
    list_filter = ["findable"]
    exclude = ["feed_token"]
