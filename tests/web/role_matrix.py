"""Find every page and API endpoint that states `allowed_roles`, and what each role should get.

Pages and endpoints are found by walking the URL resolver, so a new view is covered the moment
it is routed. A URL with parameters needs a sample: an app registers a factory in
`tests/<app>/sample_urls.py` as `SAMPLE_URLS = {"namespace:name": factory}`, where
`factory(world: DemoWorld)` returns the URL kwargs, or a `Sample` with roles that are allowed in
general but not for that particular object. API detail routes need nothing: their sample is
the first item of the list.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

import tests
from wendbaar.regions.constants import Role
from wendbaar.regions.permissions import ANYONE, AUTHENTICATED

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]


@dataclass(frozen=True)
class Sample:
    kwargs: dict[str, Any]
    out_of_scope: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Endpoint:
    route: str  # the pattern as written, for test ids and messages
    name: str  # "namespace:name" or "" when unnamed
    view_class: type
    params: tuple[str, ...]
    is_api: bool
    actions: dict[str, str] | None  # a viewset route's method→action map

    @property
    def id(self) -> str:
        return self.name or self.route


def _walk(resolvers: list[URLPattern | URLResolver], prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry


def endpoints() -> list[Endpoint]:
    """Return every routed view of ours, with `allowed_roles` or without (the latter is a failure)."""
    found = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view_class is None or not view_class.__module__.startswith("wendbaar."):
            continue
        if "(?P<format>" in route:  # DRF's format-suffix twin of a route: same view, same rules
            continue
        params = tuple(pattern.pattern.regex.groupindex)
        resolver_params = tuple(_params_of_route(route))
        found.append(
            Endpoint(
                route=route,
                name=name,
                view_class=view_class,
                params=resolver_params or params,
                is_api=issubclass(view_class, APIView),
                actions=getattr(callback, "actions", None),
            )
        )
    return found


def _params_of_route(route: str) -> list[str]:
    import re

    names = re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
    return [name for name in names if name != "format"]


def expected_allowed(view_class: type, role: str, *, write: bool = False) -> bool:
    """Whether the view's declared roles let this role in (the rule of wendbaar.regions.permissions)."""
    roles = set(getattr(view_class, "allowed_roles", frozenset()))
    if write:
        roles = set(getattr(view_class, "write_roles", roles))
    if ANYONE in roles:
        return True
    if role == ANONYMOUS:
        return False
    return AUTHENTICATED in roles or role in roles


def sample_factories() -> dict[str, Callable[..., Any]]:
    """Collect SAMPLE_URLS from every tests/<app>/sample_urls.py."""
    factories: dict[str, Callable[..., Any]] = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            samples = importlib.import_module(f"tests.{module.name}.sample_urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.sample_urls":
                raise
            continue
        factories.update(samples.SAMPLE_URLS)
    return factories
