"""Validate JSON against the OOAPI v5 specification in ../shared/specs/ooapi-v5 (read in place, never copied).

The split YAML files are loaded as they are; `$ref`s between them resolve through a `referencing`
registry, and jsonschema (draft 7, with format checks) validates a response body against the schema
the spec gives for that path and status, or an object against a component schema.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker, validators
from jsonschema._keywords import oneOf as _one_of
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.conftest import SHARED_DATA

SPEC_DIR = SHARED_DATA.parent / "specs" / "ooapi-v5"


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans only: the RIO consumer's `enum: [yes, no]` are strings, not booleans."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def spec_dir() -> Path:
    if not (SPEC_DIR / "spec.yaml").exists():
        message = f"OOAPI specification not found: {SPEC_DIR}"
        if os.environ.get("WENDBAAR_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return SPEC_DIR


@functools.cache
def _load(path: str) -> Any:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader


@functools.cache
def _registry() -> Registry:
    def retrieve(uri: str) -> Resource:
        return Resource.from_contents(_load(urlparse(uri).path), default_specification=DRAFT7)

    return Registry(retrieve=retrieve)  # type: ignore[call-arg]


def _offering_one_of(validator: Any, one_of: Any, instance: Any, schema: Any) -> Any:
    """`oneOf` as the spec means it where its branches overlap.

    The spec lists Program/Course/ComponentOffering without a discriminator, and a course offering is
    also a valid program offering (neither forbids the other's fields), so plain JSON Schema `oneOf`
    fails every item: the branch is chosen by `offeringType`, as OpenAPI's discriminator would. Likewise
    "X or XExpanded" is chosen by whether the expansion (timelineOverrides) is there.
    """
    kind = instance.get("offeringType") if isinstance(instance, dict) else None
    refs = [branch.get("$ref", "") if isinstance(branch, dict) else "" for branch in one_of]
    if isinstance(kind, str) and any(ref.endswith("ProgramOffering.yaml") for ref in refs):
        chosen = [b for b, ref in zip(one_of, refs, strict=True) if ref.endswith(f"/{kind.capitalize()}Offering.yaml")]
        if chosen:
            yield from validator.descend(instance, chosen[0])
            return
    expanded = [ref for ref in refs if ref.endswith("Expanded.yaml")]
    if expanded and isinstance(instance, dict):
        # "X" or "XExpanded" (with timelineOverrides): the expanded form is a superset of the plain one.
        want_expanded = "timelineOverrides" in instance
        chosen = [b for b, ref in zip(one_of, refs, strict=True) if ref.endswith("Expanded.yaml") == want_expanded]
        if len(chosen) == 1:
            yield from validator.descend(instance, chosen[0])
            return
    yield from _one_of(validator, one_of, instance, schema)


_OoapiValidator = validators.extend(Draft7Validator, {"oneOf": _offering_one_of})


def _validator(uri: str) -> Any:
    return _OoapiValidator({"$ref": uri}, registry=_registry(), format_checker=FormatChecker())


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def errors_for(obj: Any, component: str) -> list[str]:
    """Return the violations of `obj` against a file of the spec, e.g. "schemas/Course.yaml"."""
    uri = (spec_dir() / component).as_uri()
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(uri).iter_errors(obj)]


@functools.cache
def _paths() -> list[tuple[re.Pattern[str], str]]:
    spec = _load(str(spec_dir() / "spec.yaml"))
    out = []
    for template, item in spec["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        out.append((re.compile(f"^{pattern}$"), item["$ref"]))
    return out


def response_errors(path: str, status: int, body: Any, content_type: str = "application/json") -> list[str]:
    """Return the violations of a response body against the spec's schema for GET `path` (after /ooapi/v5)."""
    refs = [ref for pattern, ref in _paths() if pattern.match(path)]
    if not refs:
        raise AssertionError(f"the OOAPI spec has no path for {path}")
    file = spec_dir() / refs[0]
    doc = _load(str(file))
    response = doc["get"]["responses"][str(status)]
    if "$ref" in response:  # an error response defined in its own file
        file = (file.parent / response["$ref"]).resolve()
        response = _load(str(file))
        fragment = _pointer("content", content_type, "schema")
    else:
        fragment = _pointer("get", "responses", str(status), "content", content_type, "schema")
    assert content_type in response["content"], f"{path} {status}: the spec has no {content_type} body"
    uri = file.as_uri() + "#/" + fragment
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(uri).iter_errors(body)]
