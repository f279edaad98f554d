"""Pages of the skills app (under /taxonomie/)."""

from django.urls import path

from wendbaar.skills import views

app_name = "skills"
urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("beroepen/<uuid:uuid>", views.OccupationView.as_view(), name="occupation"),
    path("vaardigheden/nieuw", views.RegionalSkillView.as_view(), name="regional-skill"),
    path("vaardigheden/<uuid:uuid>", views.SkillView.as_view(), name="skill"),
    path("begrippen/<uuid:uuid>/synoniemen", views.AddLabelView.as_view(), name="add-label"),
]
