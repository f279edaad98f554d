from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wendbaar.web.navigation import NavItem

# The values of regions.constants.Role.PROVIDER and regions.permissions.ANYONE/AUTHENTICATED: importing
# those modules here would load auth models before the app registry is ready.
_PROVIDER, _ANYONE, _AUTHENTICATED = "provider", "anyone", "authenticated"


class PassportConfig(AppConfig):
    name = "wendbaar.passport"
    default_auto_field = "django.db.models.BigAutoField"
    # Entries this app adds to the main menu (see wendbaar.web.navigation).
    nav_items: tuple[NavItem, ...] = (
        NavItem("passport:home", cast(str, _("My skills passport")), frozenset({_AUTHENTICATED})),
        NavItem("passport:evc", cast(str, _("EVC")), frozenset({_PROVIDER})),
        NavItem("passport:verify", cast(str, _("Check a certificate")), frozenset({_ANYONE})),
    )
