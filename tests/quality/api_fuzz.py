"""Schemathesis against the committed OpenAPI (docs/openapi.json), in-process, as each role with a token.

`fuzz(...)` generates cases per operation and role, sends them to the WSGI application and returns
every failure: a server error, a response the schema does not describe (status, content type,
body), an error that is not application/problem+json. The CI test runs it with a budget of about
1,000 cases; `bench/api_fuzz.py` runs the long form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks as openapi_checks

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
PROBLEM_JSON = "application/problem+json"


def problem_json_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx of the API is application/problem+json (NL GOV API design rule, RFC 9457)."""
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])
        value = content_type[0] if isinstance(content_type, list) else content_type
        if not value.startswith(PROBLEM_JSON):
            raise AssertionError(f"{response.status_code} answered as {value!r}, not {PROBLEM_JSON}")
    return None


CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    problem_json_errors,
]


@dataclass
class FuzzResult:
    cases: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # "role METHOD path -> status": message
    per_role: dict[str, int] = field(default_factory=dict)


def _fuzz_operation(operation: Any, label: str, app: Any, tokens: dict[str, str | None], examples: int,
                    result: FuzzResult) -> None:  # fmt: skip
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        for role, token in tokens.items():
            headers = {"Authorization": f"Token {token}"} if token else {}
            response = case.call(app=app, headers=headers)
            result.cases += 1
            result.per_role[role] = result.per_role.get(role, 0) + 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as exc:  # failed checks: recorded once per role, operation and status
                key = f"{role} {label} -> {response.status_code}"
                titles = "; ".join(sorted({getattr(f, "title", type(f).__name__) for f in exc.exceptions}))
                result.failures.setdefault(key, f"{titles}\n  {case.as_curl_command()[:300]}")

    run()


def load_schema() -> Any:
    return schemathesis.openapi.from_path(str(OPENAPI))


def fuzz(app: Any, tokens: dict[str, str | None], *, examples: int, result: FuzzResult | None = None,
         skip: Iterable[str] = ()) -> FuzzResult:  # fmt: skip
    """Send `examples` generated cases per operation as each role (None: anonymous); collect failures."""
    result = result or FuzzResult()
    schema = load_schema()
    for operation in (found.ok() for found in schema.get_all_operations()):
        label = f"{operation.method.upper()} {operation.path}"
        if label not in skip:
            _fuzz_operation(operation, label, app, tokens, examples, result)
    return result


def known_items(app: Any, tokens: dict[str, str | None], result: FuzzResult) -> FuzzResult:
    """Validate the detail operations on real items too (generated identifiers rarely exist).

    For each list, the first item's identifier (as the admin sees it) fills the detail operations
    under the same path: GET, and the sub-resources (`/{uuid}/skills`), as every role.
    """
    schema = load_schema()
    operations = [found.ok() for found in schema.get_all_operations()]
    admin = {"Authorization": f"Token {tokens['admin']}"} if tokens.get("admin") else {}
    for listing in [op for op in operations if op.method == "get" and "{" not in op.path]:
        response = schema.make_case(operation=listing).call(app=app, headers=admin)
        if response.status_code != 200:
            continue
        body = response.json()
        items = body.get("results") if isinstance(body, dict) else body
        if not items or not isinstance(items[0], dict):
            continue
        for detail in operations:
            if detail.method != "get" or not detail.path.startswith(listing.path + "/{"):
                continue
            name = detail.path[len(listing.path) + 2 :].split("}")[0]
            if name not in items[0]:
                continue
            case = schema.make_case(operation=detail, path_parameters={name: str(items[0][name])})
            for role, token in tokens.items():
                headers = {"Authorization": f"Token {token}"} if token else {}
                answer = case.call(app=app, headers=headers)
                result.cases += 1
                try:
                    case.validate_response(answer, checks=CHECKS, headers=headers)
                except FailureGroup as exc:
                    titles = "; ".join(sorted({getattr(f, "title", type(f).__name__) for f in exc.exceptions}))
                    result.failures.setdefault(f"{role} GET {detail.path} (known item) -> {answer.status_code}", titles)
    return result

