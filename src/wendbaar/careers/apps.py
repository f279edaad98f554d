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

    def warm(self) -> None:
        """Start-up warm-up of a server process (radar/dashboards/warm.py calls every app's `warm`): the
        mobility index is built per process on first use, 0.4–0.7 s in the request of the first visitor
        of the career paths, which set that page's p95 in the 50-user load run."""
        from wendbaar.careers import mobility

        mobility.index()
