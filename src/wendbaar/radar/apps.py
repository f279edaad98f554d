from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "wendbaar.radar"
    default_auto_field = "django.db.models.BigAutoField"
