"""Pages of the demand app, under /vraag/."""

from django.urls import path

from wendbaar.demand import views

app_name = "demand"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("nieuw", views.CreateView.as_view(), name="create"),
    path("upload", views.UploadView.as_view(), name="upload"),
    path("upload/<uuid:uuid>/afgewezen.csv", views.UploadRejectsView.as_view(), name="upload-rejects"),
    path("gaten", views.GapListView.as_view(), name="gaps"),
    path("gaten.csv", views.GapExportView.as_view(), name="gaps-export"),
    path("gaten/<uuid:uuid>", views.GapView.as_view(), name="gap"),
    path("groepen/<uuid:uuid>", views.PoolView.as_view(), name="pool"),
    path("<uuid:uuid>", views.DetailView.as_view(), name="detail"),
    path("<uuid:uuid>/intrekken", views.WithdrawView.as_view(), name="withdraw"),
]
