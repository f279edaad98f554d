"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from wendbaar.passport.views import public as passport_public

urlpatterns = [
    path("api/v1/", include("wendbaar.api")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("regio/", include("wendbaar.regions.urls")),
    path("taxonomie/", include("wendbaar.skills.urls")),
    path("radar/", include("wendbaar.radar.urls")),
    path("aanbod/", include("wendbaar.catalogue.urls")),
    path("vraag/", include("wendbaar.demand.urls")),
    path("paspoort/", include("wendbaar.passport.urls")),
    path("loopbaan/", include("wendbaar.careers.urls")),
    path("leerrekening/", include("wendbaar.funding.urls")),
    path("inschrijvingen/", include("wendbaar.enrolment.urls")),
    path("hub/", include("wendbaar.hub.urls")),
    path("ooapi/v5/", include("wendbaar.catalogue.ooapi.urls")),
    # did:web identities and revocation lists of the skills passport's credentials (stable public URLs).
    path(".well-known/did.json", passport_public.DidDocumentView.as_view(), name="did-platform"),
    path("organisations/<uuid:uuid>/did.json", passport_public.DidDocumentView.as_view(), name="did-organisation"),
    path("credentials/status/<uuid:uuid>", passport_public.StatusListView.as_view(), name="credential-status-list"),
    path("", include("wendbaar.web.urls")),
]

# The 500 page in the site layout with the person's menu (403 and 404 use Django's views and our templates).
handler500 = "wendbaar.web.errors.server_error"
