"""When the database is briefly unavailable (connection lost, server restarting, SQLite's lock
timeout), answer with a clear "try again in a minute" instead of a server error.

Nothing is half-written: every write is one transaction in a service (DESIGN.md §4), so the failed
statement rolls the whole change back; this middleware only turns the error into a 503 with
Retry-After — a page for people, problem+json for the API. The page needs no database (no menu, no
translations from a session), since the database is exactly what is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def is_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached or is locked (not a bug in a query)."""
    return isinstance(exc, OperationalError | InterfaceError) and not _is_query_bug(exc)


def _is_query_bug(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("syntax error", "no such table", "no such column", "does not exist"))


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        log.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        # Django closes an unusable connection when the request ends (close_old_connections), so the
        # next request opens a fresh one.
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "type": "https://wendbaar.nl/problems/database-unavailable",
                    "title": "Service unavailable",
                    "status": 503,
                    "detail": "The database is briefly unavailable. Nothing was changed; try again in a minute.",
                    "instance": request.get_full_path(),
                },
                status=503,
                content_type="application/problem+json",
            )
        else:
            response = HttpResponse(render_to_string("wendbaar/database_unavailable.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
