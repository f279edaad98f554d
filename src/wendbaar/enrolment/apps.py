from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wendbaar.regions.constants import Role
from wendbaar.web.navigation import NavItem


class EnrolmentConfig(AppConfig):
    name = "wendbaar.enrolment"
    default_auto_field = "django.db.models.BigAutoField"
    # Entries this app adds to the main menu (see wendbaar.web.navigation).
    nav_items: tuple[NavItem, ...] = (
        NavItem("enrolment:runs", _("My groups"), frozenset({Role.PROVIDER})),  # type: ignore[arg-type]
    )
