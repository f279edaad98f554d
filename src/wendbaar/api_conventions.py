"""The NL GOV API Design Rules as code: problem+json errors, the API-Version header,
no trailing slashes, plural kebab-case resources, paginated lists."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, pagination, routers, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"


class ApiVersionMiddleware:
    """Add the `API-Version` header to every API response (design rule API-57)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["API-Version"] = settings.API_VERSION
        return response


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested error detail into a flat list of {name, code, reason}."""
    if isinstance(detail, dict):
        items: list[dict[str, str]] = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            items.extend(_flatten(value, name))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            is_scalar = not isinstance(value, (dict, list))
            items.extend(_flatten(value, prefix if is_scalar else f"{prefix}.{index}"))
        return items
    return [{"name": prefix or "nonFieldErrors", "code": getattr(detail, "code", "invalid"), "reason": str(detail)}]


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every API error as application/problem+json (RFC 9457), all field errors at once."""
    if isinstance(exc, DjangoValidationError):
        # get_error_detail keeps each error's code (a service's "over-entitlement"), which message_dict drops.
        exc = exceptions.ValidationError(get_error_detail(exc))
    if isinstance(exc, Http404):  # Django's text names the model in English ("No Concept matches …")
        exc = exceptions.NotFound(NOT_FOUND_DETAIL)
    response = exception_handler(exc, context)
    if response is None:  # not an API error DRF knows: let Django answer (500 with its own logging)
        return None
    request = context.get("request")
    problem: dict[str, Any] = {
        "type": f"https://wendbaar.nl/problems/{_problem_code(exc)}",
        "title": _title(response.status_code),
        "status": response.status_code,
        "instance": request.get_full_path() if request is not None else None,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = gettext("One or more fields are invalid. invalidParams lists every one.")
        problem["invalidParams"] = _flatten(exc.detail)
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        problem["detail"] = str(detail)
    response.data = problem
    response.content_type = PROBLEM_JSON
    return response


def _problem_code(exc: Exception) -> str:
    code = getattr(exc, "default_code", None) or "error"
    return str(code).replace("_", "-")


TITLES = {
    status.HTTP_400_BAD_REQUEST: _("Bad request"),
    status.HTTP_401_UNAUTHORIZED: _("Not authenticated"),
    status.HTTP_403_FORBIDDEN: _("Forbidden"),
    status.HTTP_404_NOT_FOUND: _("Not found"),
    status.HTTP_405_METHOD_NOT_ALLOWED: _("Method not allowed"),
    status.HTTP_406_NOT_ACCEPTABLE: _("Not acceptable"),
    status.HTTP_409_CONFLICT: _("Conflict"),
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: _("Request too large"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: _("Unsupported media type"),
    status.HTTP_429_TOO_MANY_REQUESTS: _("Too many requests"),
    status.HTTP_500_INTERNAL_SERVER_ERROR: _("Server error"),
}
NOT_FOUND_DETAIL = _("There is nothing at this address. Check the path and the identifier in it.")
DETAILS = {
    status.HTTP_400_BAD_REQUEST: _("The request could not be read."),
    status.HTTP_403_FORBIDDEN: _("You may not do this."),
    status.HTTP_404_NOT_FOUND: NOT_FOUND_DETAIL,
    status.HTTP_405_METHOD_NOT_ALLOWED: _("This address does not accept this method."),
    status.HTTP_500_INTERNAL_SERVER_ERROR: _(
        "Something went wrong on our side. It has been logged; please try again later."
    ),
}


def _title(status_code: int) -> str:
    return str(TITLES.get(status_code, _("Error")))


def problem_response(request: HttpRequest, status_code: int, detail: str | None = None) -> HttpResponse:
    """An application/problem+json answer made outside DRF (unrouted paths, server errors)."""
    problem = {
        "type": f"https://wendbaar.nl/problems/{_PROBLEM_TYPES.get(status_code, 'error')}",
        "title": _title(status_code),
        "status": status_code,
        "detail": str(detail or DETAILS.get(status_code, _("Error"))),
        "instance": request.get_full_path(),
    }
    return HttpResponse(json.dumps(problem, ensure_ascii=False), status=status_code, content_type=PROBLEM_JSON)


_PROBLEM_TYPES = {400: "parse-error", 403: "permission-denied", 404: "not-found", 405: "method-not-allowed",
                  500: "server-error"}  # fmt: skip
logger = logging.getLogger("wendbaar.api")
# Exceptions Django turns into a 4xx answer itself; __call__ then makes that answer a problem document.
ANSWERED_BY_DJANGO = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


class ProblemJsonMiddleware:
    """Every error under /api/ is application/problem+json, also where no API view answers: an
    unrouted path or a path parameter the route pattern refuses (Django's 404), a method Django
    refuses (405), a request Django cannot read (400) and an unexpected exception (500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(PROBLEM_JSON)
        ):
            allow = response.get("Allow")
            response = problem_response(request, response.status_code)
            if allow:
                response["Allow"] = allow
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/") or isinstance(exception, ANSWERED_BY_DJANGO):
            return None  # Http404 and others Django answers itself: __call__ turns the answer into a problem
        logger.error("%s %s failed", request.method, request.path, exc_info=exception)
        return problem_response(request, status.HTTP_500_INTERNAL_SERVER_ERROR)


class Router(routers.DefaultRouter):
    """A router without trailing slashes and without the browsable root view."""

    include_root_view = False

    def __init__(self) -> None:
        super().__init__(trailing_slash="")  # type: ignore[arg-type]  # DRF takes the suffix string; the stubs say bool


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "pageSize"
    max_page_size = 500

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.validate_paging(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def validate_paging(self, request: Any) -> None:
        """Refuse `page=`, `page=0`, `pageSize=null`, `pageSize=9999` with one 400, instead of guessing.

        DRF would quietly use the default page size, and answer a non-number page with 404.
        """
        errors: dict[str, list[str]] = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not _positive_int(page):
            errors[self.page_query_param] = ["Give a page number of 1 or more."]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (_positive_int(size) and int(size) <= self.max_page_size):
            errors[self.page_size_query_param] = [f"Give a page size from 1 to {self.max_page_size}."]
        if errors:
            raise exceptions.ValidationError(errors)


def _positive_int(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) >= 1


# --- idempotent writes: a replay answers 200 with the first request's resource and this header ---------------

REPLAYED = {"Idempotent-Replayed": "true"}  # the headers of an answer to a replayed request

REPLAYED_HEADER = OpenApiParameter(
    "Idempotent-Replayed", str, OpenApiParameter.HEADER, response=[200], enum=["true"],
    description="Sent (`true`) when this request's idempotency key was seen before: nothing was written again, "
    "and the answer is what the first request made.",
)  # fmt: skip


def idempotency_key(request: Any, body_key: str | None) -> str | None:
    """A write's idempotency key: the `Idempotency-Key` header or the body's `key`; both, when they differ, is a
    400 on `key` (`key_mismatch`)."""
    header = request.headers.get("Idempotency-Key")
    if header is not None and body_key is not None and header != body_key:
        message = gettext("The Idempotency-Key header and the key in the body differ.")
        raise exceptions.ValidationError({"key": [exceptions.ErrorDetail(message, code="key_mismatch")]})
    return body_key if body_key is not None else header
