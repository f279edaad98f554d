"""Pages of the regions app under /regio/."""

from django.urls import path

from wendbaar.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("<str:code>/", views.RegionDetailView.as_view(), name="detail"),
    path("organisatie/<uuid:uuid>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("<str:code>/organisatie-toevoegen/", views.OrganisationCreateView.as_view(), name="organisation-create"),
]
