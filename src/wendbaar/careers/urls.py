"""Pages of the careers app, under /loopbaan/."""

from django.urls import URLPattern, path

from wendbaar.careers import views

app_name = "careers"
urlpatterns: list[URLPattern] = [
    path("", views.HomeView.as_view(), name="home"),
    path("apk/nieuw/", views.StartView.as_view(), name="start"),
    path("apk/<uuid:uuid>/", views.StandingView.as_view(), name="standing"),
    path("apk/<uuid:uuid>/paden/", views.PathsView.as_view(), name="paths"),
    path("apk/<uuid:uuid>/kloof/", views.GapView.as_view(), name="gap"),
    path("apk/<uuid:uuid>/loopbaan-apk.pdf", views.CheckUpPdfView.as_view(), name="checkup-pdf"),
    path("plan/<uuid:uuid>/", views.PlanView.as_view(), name="plan"),
    path("plan/<uuid:uuid>/ontwikkelplan.pdf", views.PlanPdfView.as_view(), name="plan-pdf"),
    path("adviseur/", views.AdviserView.as_view(), name="adviser"),
    path("instroom/", views.MoversView.as_view(), name="movers"),
]
