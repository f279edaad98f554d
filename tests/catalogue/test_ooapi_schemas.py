"""The import's two schema validators (Rust for "valid?", jsonschema for the wording) agree on every object."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.catalogue.test_ooapi_exchange import generate
from wendbaar.catalogue.ooapi import schemas
from wendbaar.catalogue.ooapi.services import export_ooapi
from wendbaar.regions.models import Organisation

pytestmark = pytest.mark.django_db

# (kind, JSON pointer as keys, value): each one a change that a valid object may or may not survive.
MUTATIONS: list[tuple[str, tuple[Any, ...], Any]] = [
    ("any", ("name",), []),
    ("any", ("name", 0, "language"), "Dutch"),
    ("any", ("teachingLanguage",), "nl"),
    ("any", ("primaryCode",), {"codeType": "x", "code": "y", "extra": 1}),
    ("any", ("ext", "wendbaar", "municipality"), "0599"),
    ("any", ("ext", "wendbaar", "priceCents"), "12"),
    ("any", ("ext", "wendbaar", "minGroupSize"), -1),
    ("any", ("ext", "wendbaar", "skills"), [{"confirmed": True}]),
    ("any", ("consumers",), [{"consumerKey": "rio", "educationOffererCode": "30XY"}]),
    ("any", ("consumers",), [{"consumerKey": "rio"}]),
    ("any", ("consumers",), [{"consumerKey": "other", "anything": 1}]),
    ("any", ("consumers",), [{"consumerKey": "rio", "educationOffererCode": "123A456", "lastStartDate": "01-09-2025"}]),
    (
        "any",
        ("consumers",),
        [{"consumerKey": "rio", "registrationStatus": "open", "requiredPermissionRegistration": "yes"}],
    ),  # fmt: skip
    ("course", ("courseId",), "x"),
    ("course", ("courseId",), "123e4567e89b12d3a456426614174000"),
    ("course", ("level",), "mbo 2"),
    ("program", ("programId",), "{123e4567-e89b-12d3-a456-426614174000}"),
    ("program", ("programType",), "degree"),
    ("program", ("modeOfDelivery",), ["classroom"]),
    ("offering", ("offeringId",), "123E4567-E89B-12D3-A456-426614174000"),
    ("offering", ("startDate",), "2027-02-30"),
    ("offering", ("endDate",), "2027-1-1"),
    ("offering", ("offeringType",), "module"),
    ("offering", ("priceInformation", 0, "amount"), "12,50"),
    ("offering", ("ext", "wendbaar", "weekdays"), [0, 8]),
    ("offering", ("ext", "wendbaar", "startTime"), "7pm"),
    ("organization", ("organizationType",), "company"),
]


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def _python_says_valid(kind: str, obj: Any) -> bool:
    return not list(schemas._VALIDATORS[kind].iter_errors(obj))


def test_fast_and_full_validators_agree(
    taxonomy: None, provider: Organisation, located: Any, crebo: Any, tmp_path: Path
) -> None:
    generate(provider, 18)
    export_ooapi(provider=provider, out_dir=tmp_path)
    objects = [obj for name in ("organizations", "programs", "courses", "offerings")
               for obj in json.loads((tmp_path / f"{name}.json").read_text())]  # fmt: skip
    checked = invalid = 0
    for obj in objects:
        kind = schemas.kind_of(obj)
        assert kind is not None
        assert schemas._FAST[kind].is_valid(obj) and _python_says_valid(kind, obj)
        for target, path, value in MUTATIONS:
            if target not in ("any", kind):
                continue
            changed = copy.deepcopy(obj)
            try:
                _set(changed, path, value)
            except (KeyError, IndexError, TypeError):
                continue
            python = _python_says_valid(kind, changed)
            assert schemas._FAST[kind].is_valid(changed) == python, (kind, path, value)
            assert (schemas.violations(kind, changed) == []) == python
            checked += 1
            invalid += not python
    assert checked > 200 and invalid > 100
