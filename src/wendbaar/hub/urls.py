"""Pages of the hub app, under /hub/."""

from django.urls import URLPattern, path

from wendbaar.hub import feeds, views

app_name = "hub"
urlpatterns: list[URLPattern] = [
    path("", views.HubHomeView.as_view(), name="home"),
    path("initiatieven/", views.InitiativeSearchView.as_view(), name="initiatives"),
    path("initiatieven/nieuw/", views.InitiativeCreateView.as_view(), name="initiative-create"),
    path("initiatieven/<uuid:uuid>/", views.InitiativeDetailView.as_view(), name="initiative"),
    path("initiatieven/<uuid:uuid>/wijzigen/", views.InitiativeEditView.as_view(), name="initiative-edit"),
    path("initiatieven/<uuid:uuid>/overnemen/", views.InitiativeAdoptView.as_view(), name="initiative-adopt"),
    path("initiatieven/<uuid:uuid>/terugmelden/", views.InitiativeReportView.as_view(), name="initiative-report"),
    path("mensen/", views.PeopleView.as_view(), name="people"),
    path("mensen/<uuid:uuid>/", views.PersonView.as_view(), name="person"),
    path("mijn-kaartje/", views.ProfileEditView.as_view(), name="profile"),
    path("leerambassadeurs/", views.AmbassadorsView.as_view(), name="ambassadors"),
    path("agenda/", views.AgendaIndexView.as_view(), name="agenda-index"),
    path("agenda/<str:code>/", views.AgendaView.as_view(), name="agenda"),
    path("agenda/<str:code>/agenda.pdf", views.AgendaPdfView.as_view(), name="agenda-pdf"),
    path("agenda/<str:code>/nieuw/", views.ActionCreateView.as_view(), name="action-create"),
    path("acties/<uuid:uuid>/", views.ActionDetailView.as_view(), name="action"),
    path("activiteiten/", views.EventListView.as_view(), name="events"),
    path("activiteiten/nieuw/", views.EventCreateView.as_view(), name="event-create"),
    path("activiteiten/<uuid:uuid>/", views.EventDetailView.as_view(), name="event"),
    path("activiteiten/<uuid:uuid>/wijzigen/", views.EventEditView.as_view(), name="event-edit"),
    path("kalender/<str:code>.ics", views.RegionCalendarView.as_view(), name="region-calendar"),
    path("kalender/persoonlijk/<str:token>.ics", views.PersonCalendarView.as_view(), name="person-calendar"),
    path("feeds/<str:token>/initiatieven.atom", feeds.InitiativeFeedView.as_view(), name="feed-atom"),
    path("feeds/<str:token>/initiatieven.rss", feeds.RssFeedView.as_view(), name="feed-rss"),
]
