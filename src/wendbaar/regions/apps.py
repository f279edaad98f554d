from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "wendbaar.regions"
    verbose_name = _("Regions")
    default_auto_field = "django.db.models.BigAutoField"
