"""Admin pages of the passport: only what holds no passport content.

Skills, evidence, credentials, consents and view logs are deliberately not registered: an
administrator must not read a passport without its owner's consent (counts are on /paspoort/overzicht/).
Assessors are flagged here; erasures show their counts.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError

from wendbaar.passport import services
from wendbaar.passport.models import Assessor, Erasure


@admin.register(Assessor)
class AssessorAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "organisation__name"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        try:
            services.make_assessor(user=obj.user, organisation=obj.organisation)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), level="error")


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["erased_at", "counts"]
    readonly_fields = ["uuid", "erased_at", "counts"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
