"""Pages of the catalogue app, under /aanbod/."""

from django.urls import path

from wendbaar.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("opleider/", views.ProviderHomeView.as_view(), name="provider"),
    path("opleider/nieuw", views.OfferingCreateView.as_view(), name="offering-new"),
    path("opleider/ooapi", views.OoapiImportView.as_view(), name="ooapi-import"),
    path("<uuid:uuid>", views.OfferingView.as_view(), name="offering"),
    path("<uuid:uuid>/bewerken", views.OfferingEditView.as_view(), name="offering-edit"),
    path("<uuid:uuid>/vaardigheden", views.OutcomeView.as_view(), name="outcomes"),
    path("<uuid:uuid>/uitvoeringen/nieuw", views.RunCreateView.as_view(), name="run-new"),
    path("uitvoeringen/<uuid:uuid>", views.RunEditView.as_view(), name="run-edit"),
]
