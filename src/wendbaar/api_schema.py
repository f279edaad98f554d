"""The OpenAPI document says what the API really does: its error answers and who may call it.

drf-spectacular documents only the success answer and marks every operation as needing a token.
This schema class adds, per operation, the application/problem+json errors it can give (400 for
invalid parameters, paging or bodies; 401 for a missing, wrong or expired token; 403 where roles or
object rules refuse; 404 for an unknown item or a page past the end), and documents the public
operations (`allowed_roles` with ANYONE) as callable without authentication.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions, serializers

from wendbaar.regions.permissions import ANYONE, AUTHENTICATED

PROBLEM_JSON = "application/problem+json"


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The field or parameter, e.g. `regions` or `pageSize`.")
    code = serializers.CharField()
    reason = serializers.CharField(help_text="What is wrong, in the requester's language.")


class ProblemSerializer(serializers.Serializer):
    """An error answer (RFC 9457): every field error of a 400 at once in `invalidParams`."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    instance = serializers.CharField(allow_null=True, required=False)
    detail = serializers.CharField(required=False)
    invalidParams = InvalidParamSerializer(many=True, required=False)  # noqa: N815 - the rule's own name


ERROR_DESCRIPTIONS = {
    400: "Invalid parameters, paging values or body; every problem in `invalidParams`.",
    401: "No, a wrong or an expired token (or no session) where one is needed.",
    403: "Logged in, but this role (or this person, for this object) may not do this.",
    404: "No such item, or one this requester may not see; or a page past the last.",
}


_COLUMN_MAXIMA = {2**63 - 1, 2**31 - 1, 2**15 - 1}


def _roles(view: Any, method: str) -> frozenset[str]:
    roles = frozenset(getattr(view, "allowed_roles", frozenset()))
    if method not in permissions.SAFE_METHODS:
        roles = frozenset(getattr(view, "write_roles", roles))
    return roles


class WendbaarAutoSchema(AutoSchema):
    def _is_public(self) -> bool:
        return ANYONE in _roles(self.view, self.method)

    def get_auth(self) -> list[dict[str, Any]]:
        auth = super().get_auth()
        if self._is_public():
            # Public: no authentication needed; a token or session may still be sent (and must be valid).
            return [{}, *[scheme for scheme in auth if scheme]]
        return [scheme for scheme in auth if scheme]

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[arg-type]
        # A many-relation that refuses [] says so (spectacular leaves it out), e.g. an organisation's regions.
        if isinstance(field, serializers.ManyRelatedField) and not field.allow_empty and schema.get("type") == "array":
            schema["minItems"] = 1
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        # Django bounds positive integer fields by the database's column range (SQLite 2**63-1, PostgreSQL
        # 2**31-1 or 2**15-1): that is storage, not the API's contract, and would make the document differ
        # per database.
        if schema.get("type") == "integer" and schema.get("maximum") in _COLUMN_MAXIMA:
            schema.pop("maximum")
            schema.pop("format", None)

    def _error_statuses(self) -> list[int]:
        roles = _roles(self.view, self.method)
        statuses = [400, 401]  # a wrong token is refused even on public operations
        restricted = not roles & {ANYONE, AUTHENTICATED} or self.method not in permissions.SAFE_METHODS
        if restricted:
            statuses.append(403)
        is_list = self._is_list_view() if hasattr(self, "_is_list_view") else False
        has_parameters = "(?P<" in self.path_regex or "{" in self.path  # a `path()` route has no regex groups
        if has_parameters or is_list or self.method in ("PUT", "PATCH", "DELETE"):
            statuses.append(404)
        return statuses

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:  # type: ignore[override]
        responses = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        problem = self.resolve_serializer(ProblemSerializer, "response").ref
        for status in self._error_statuses():
            responses.setdefault(
                str(status),
                {"description": ERROR_DESCRIPTIONS[status], "content": {PROBLEM_JSON: {"schema": problem}}},
            )
        for code, response in responses.items():
            # Errors declared by a view (e.g. 409 on retry) are problem+json too.
            if int(code) >= 400 and not response.get("content"):
                response["content"] = {PROBLEM_JSON: {"schema": problem}}
        return responses
