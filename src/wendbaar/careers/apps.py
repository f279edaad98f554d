from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wendbaar.web.navigation import NavItem


class CareersConfig(AppConfig):
    name = "wendbaar.careers"
    default_auto_field = "django.db.models.BigAutoField"
    # Entries this app adds to the main menu (see wendbaar.web.navigation).
    nav_items: tuple[NavItem, ...] = (
        NavItem("careers:home", _("Career check-up"), frozenset({"authenticated"})),  # type: ignore[arg-type]  # lazy str
    )
