"""Security measures that Django does not give by itself: the Content-Security-Policy, expiring API
tokens, closed sign-up, and a server banner without the Python version.

The other headers come from Django's own middleware and settings (see settings.py): nosniff and
Referrer-Policy from SecurityMiddleware, frame denial from XFrameOptionsMiddleware, HSTS, the SSL
redirect and secure cookies in production mode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework import authentication, exceptions

# No 'unsafe-inline' anywhere: scripts and styles come only from our own static files (COMMON rule:
# no inline <script>, no on…= handlers, no style="…"), so an injected script cannot run.
# img-src allows data: for the small icons Django's admin draws inline.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy to every response (pages, API, files)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def token_expires_at(created: dt.datetime) -> dt.datetime:
    """Return when a token made at `created` stops working."""
    return created + dt.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token …`, refused once the token is older than WENDBAAR_API_TOKEN_MAX_AGE_DAYS.

    A refused token stays in the database until it is rotated (`wendbaar api_token USER --rotate`),
    so an operator can see whose system still uses an old one.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if timezone.now() >= token_expires_at(token.created):
            raise exceptions.AuthenticationFailed("This token has expired. Ask for a new one (token rotation).")
        return user, token


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by a region's coordinator (what the landing page says), unless an operator
    opens sign-up with WENDBAAR_SIGNUP_OPEN; then e-mail verification is mandatory (settings.py).
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_SIGNUP_OPEN)


def login_name(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The login name django-axes counts failures under: allauth's `login` field or the admin's `username`."""
    for source in (credentials or {}, request.POST if request is not None else {}):
        for key in ("login", "username", "email"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
