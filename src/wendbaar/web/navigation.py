"""Main-menu entries that apps contribute, so no app has to edit the shared base layout.

An app lists its entries in its AppConfig as `nav_items`; the menu shows an entry to the roles it
names (`ANYONE`/`AUTHENTICATED` from `wendbaar.regions.permissions` work too), in app order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language


@dataclass(frozen=True)
class NavItem:
    url_name: str  # "namespace:name" of a page without parameters
    label: str  # a lazily translated label: gettext_lazy("…")
    roles: frozenset[str]  # who sees the entry


@dataclass(frozen=True)
class MenuEntry:
    url: str
    label: str
    app_name: str


def menu_for(roles: frozenset[str], *, authenticated: bool) -> list[MenuEntry]:
    """Return the app entries a person with `roles` sees, in INSTALLED_APPS order.

    Every page asks for it; the entries only depend on the roles, the language and the URL prefix
    (the apps' entries are fixed when the process starts), so each combination is built once.
    """
    key = (roles, authenticated, get_language(), get_script_prefix())
    menu = _menus.get(key)
    if menu is None:
        menu = _menus[key] = tuple(_build_menu(roles, authenticated=authenticated))
    return list(menu)


_menus: dict[tuple[frozenset[str], bool, str | None, str], tuple[MenuEntry, ...]] = {}


def _build_menu(roles: frozenset[str], *, authenticated: bool) -> list[MenuEntry]:
    from wendbaar.regions.permissions import ANYONE, AUTHENTICATED

    entries = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            public = ANYONE in item.roles or (authenticated and AUTHENTICATED in item.roles)
            if public or roles & item.roles:
                entries.append(MenuEntry(reverse(item.url_name), str(item.label), item.url_name.split(":")[0]))
    return entries
