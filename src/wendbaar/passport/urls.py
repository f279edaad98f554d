"""Pages of the passport app, under /paspoort/."""

from django.urls import URLPattern, path

from wendbaar.passport.views import evc, owner, public, sharing

app_name = "passport"
urlpatterns: list[URLPattern] = [
    path("", owner.HomeView.as_view(), name="home"),
    path("toevoegen/", owner.AddTextView.as_view(), name="add-text"),
    path("cv/", owner.AddCvView.as_view(), name="add-cv"),
    path("beroep/", owner.AddOccupationView.as_view(), name="add-occupation"),
    path("vaardigheden/<uuid:uuid>/", owner.SkillView.as_view(), name="skill"),
    path("certificaten/importeren/", owner.ImportView.as_view(), name="import"),
    path("certificaten/<uuid:uuid>/", owner.CredentialView.as_view(), name="credential"),
    path("certificaten/<uuid:uuid>/download.json", owner.CredentialDownloadView.as_view(), name="credential-json"),
    path(
        "certificaten/<uuid:uuid>/download.jwt",
        owner.CredentialDownloadView.as_view(),
        {"form": "jwt"},
        name="credential-jwt",
    ),
    path("export.json", owner.ExportJsonView.as_view(), name="export-json"),
    path("paspoort.pdf", owner.ExportPdfView.as_view(), name="export-pdf"),
    path("wissen/", owner.EraseView.as_view(), name="erase"),
    path("delen/", sharing.SharingView.as_view(), name="sharing"),
    path("bekeken/", sharing.ViewLogView.as_view(), name="views"),
    path("gedeeld/", sharing.SharedWithMeView.as_view(), name="shared-with-me"),
    path("gedeeld/<uuid:uuid>/", sharing.SharedPassportView.as_view(), name="shared"),
    path("gedeeld/<uuid:uuid>/paspoort.pdf", sharing.SharedPassportPdfView.as_view(), name="shared-pdf"),
    path("link/<str:token>/", sharing.ShareLinkView.as_view(), name="share-link"),
    path("controleren/", public.VerifyView.as_view(), name="verify"),
    path("uitgevers/", public.IssuerView.as_view(), name="issuer-platform"),
    path("uitgevers/<uuid:uuid>/", public.IssuerView.as_view(), name="issuer"),
    path("overzicht/", public.OverviewView.as_view(), name="overview"),
    path("evc/", evc.EvcListView.as_view(), name="evc"),
    path("evc/<uuid:uuid>/", evc.EvcDetailView.as_view(), name="evc-detail"),
    path("uitgegeven/", evc.IssuedView.as_view(), name="issued"),
]
