"""The main menu is built once per roles, language and URL prefix (every page asks for it), and each
combination still gets its own entries: a cached menu never leaks to another role or language."""

from __future__ import annotations

from django.urls import set_script_prefix
from django.utils import translation

from wendbaar.regions.constants import Role
from wendbaar.web.navigation import _build_menu, menu_for


def test_the_cached_menu_is_the_built_one_per_roles_and_language() -> None:
    for roles, authenticated in ((frozenset(), False), (frozenset({Role.LEARNER}), True),
                                 (frozenset({Role.COORDINATOR, Role.ADMIN}), True)):  # fmt: skip
        for language in ("nl", "en"):
            with translation.override(language):
                assert menu_for(roles, authenticated=authenticated) == _build_menu(roles, authenticated=authenticated)
    with translation.override("nl"):
        dutch = [e.label for e in menu_for(frozenset({Role.LEARNER}), authenticated=True)]
    with translation.override("en"):
        english = [e.label for e in menu_for(frozenset({Role.LEARNER}), authenticated=True)]
    assert dutch != english
    assert len(menu_for(frozenset({Role.ADMIN}), authenticated=True)) > len(menu_for(frozenset(), authenticated=False))


def test_a_changed_menu_list_does_not_change_the_cache() -> None:
    menu = menu_for(frozenset({Role.LEARNER}), authenticated=True)
    menu.clear()
    assert menu_for(frozenset({Role.LEARNER}), authenticated=True)


def test_the_menu_follows_the_url_prefix() -> None:
    try:
        set_script_prefix("/wendbaar/")
        assert all(e.url.startswith("/wendbaar/") for e in menu_for(frozenset({Role.LEARNER}), authenticated=True))
    finally:
        set_script_prefix("/")
    assert not any(e.url.startswith("/wendbaar/") for e in menu_for(frozenset({Role.LEARNER}), authenticated=True))
