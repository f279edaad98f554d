"""Errors a person can act on: the 500 page in the site layout, and one log line per refused request."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page with the menu of the person's roles; without them when those fail too."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", request=request))
    except Exception:  # noqa: BLE001 - the layout's context itself may be what broke: show the page bare
        return HttpResponseServerError(loader.render_to_string("500.html"))


class OneLineForRefusals(logging.Filter):
    """A refused request (403) is a normal event, not a bug: log it as one line without a traceback.

    Django logs it as "Forbidden (Permission denied): /path" with the PermissionDenied as exc_info,
    which printed a full traceback per refusal; the status and path are all an operator needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
