from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wendbaar.web.navigation import NavItem


class CatalogueConfig(AppConfig):
    name = "wendbaar.catalogue"
    default_auto_field = "django.db.models.BigAutoField"
    # Entries this app adds to the main menu (see wendbaar.web.navigation).
    nav_items: tuple[NavItem, ...] = (
        NavItem("catalogue:search", _("Learning offer"), frozenset({"anyone"})),  # type: ignore[arg-type]
        NavItem("catalogue:provider", _("My offer"), frozenset({"provider", "admin"})),  # type: ignore[arg-type]
    )
