from django.apps import AppConfig

from wendbaar.web.navigation import NavItem


class CatalogueConfig(AppConfig):
    name = "wendbaar.catalogue"
    default_auto_field = "django.db.models.BigAutoField"
    # Entries this app adds to the main menu (see wendbaar.web.navigation).
    nav_items: tuple[NavItem, ...] = ()
