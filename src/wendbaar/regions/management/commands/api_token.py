"""`wendbaar api_token USER`: print the API token of a user (an organisation's system), creating it if needed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rest_framework.authtoken.models import Token

from wendbaar.security import token_expires_at


class Command(BaseCommand):
    help = "Print the API token of USER (create it if there is none). Use it as 'Authorization: Token <token>'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token with a new one")

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
        expires = timezone.localtime(token_expires_at(token.created))
        self.stderr.write(f"valid until {expires:%Y-%m-%d %H:%M} (rotate with --rotate)")
