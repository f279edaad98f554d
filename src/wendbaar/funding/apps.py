from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wendbaar.regions.constants import Role
from wendbaar.web.navigation import NavItem


class FundingConfig(AppConfig):
    name = "wendbaar.funding"
    default_auto_field = "django.db.models.BigAutoField"
    # Entries this app adds to the main menu (see wendbaar.web.navigation).
    nav_items: tuple[NavItem, ...] = (
        NavItem("funding:mine", _("My learning account"), frozenset({Role.LEARNER})),  # type: ignore[arg-type]
        NavItem("funding:monitor", _("Participation"), frozenset({Role.COORDINATOR, Role.FUND, Role.ADMIN})),  # type: ignore[arg-type]
    )
