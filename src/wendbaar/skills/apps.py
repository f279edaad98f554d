from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "wendbaar.skills"
    default_auto_field = "django.db.models.BigAutoField"
