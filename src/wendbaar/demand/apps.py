from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wendbaar.regions.constants import Role
from wendbaar.web.navigation import NavItem


class DemandConfig(AppConfig):
    name = "wendbaar.demand"
    default_auto_field = "django.db.models.BigAutoField"
    # Entries this app adds to the main menu (see wendbaar.web.navigation).
    nav_items: tuple[NavItem, ...] = (
        NavItem(
            "demand:home",
            _("Learning demand"),  # type: ignore[arg-type]
            frozenset({Role.EMPLOYER, Role.FUND, Role.PROVIDER, Role.COORDINATOR, Role.ADMIN}),
        ),
        NavItem("demand:gaps", _("Gaps"), frozenset({Role.PROVIDER, Role.COORDINATOR, Role.ADMIN})),  # type: ignore[arg-type]
    )
