"""Accounts: made by a region's coordinator, not by sign-up; the login form in plain words.

An account without a membership has no role and so nothing to do on the platform; the coordinator
who gives the role makes the account too. So sign-up is closed, and every page says the same:
ask the coordinator of your region (issue 23: the landing page and the login page disagreed).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class PlainLoginForm(LoginForm):
    """allauth labels the field "Login" (untranslated in Dutch); say what to fill in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("User name or e-mail address")
