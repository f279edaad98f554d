"""Security gate: headers, CSRF, login lockout, password hashing, MFA end to end, token expiry, sign-up,
production mode (`check --deploy`), and the server banner."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from wendbaar import security
from wendbaar import settings as wendbaar_settings
from wendbaar.web.demo import DEMO_PASSWORD, DemoWorld

pytestmark = pytest.mark.django_db


def _csp_directives(value: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in value.split(";") if part.strip()}


def header_problems(response: object) -> list[str]:
    """Return what is wrong with a response's security headers (empty when all is well)."""
    problems = []
    csp = _csp_directives(response.headers.get("Content-Security-Policy", ""))  # type: ignore[attr-defined]
    script = csp.get("script-src", csp.get("default-src", []))
    if script != ["'self'"]:
        problems.append(f"script-src is {script}, not 'self' only")
    for directive, value in (("object-src", ["'none'"]), ("frame-ancestors", ["'none'"])):
        if csp.get(directive) != value:
            problems.append(f"{directive} is {csp.get(directive)}")
    expected = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}
    for name, value in expected.items():
        if response.headers.get(name) != value:  # type: ignore[attr-defined]
            problems.append(f"{name} is {response.headers.get(name)!r}")  # type: ignore[attr-defined]
    if "Permissions-Policy" not in response.headers:  # type: ignore[attr-defined]
        problems.append("no Permissions-Policy")
    return problems


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/taxonomie/", "/api/v1/occupations", "/api/v1/nope"])
def test_every_response_carries_the_security_headers(demo_world: DemoWorld, path: str) -> None:
    assert header_problems(Client().get(path)) == []


def test_the_header_gate_fails_on_an_unsafe_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "CONTENT_SECURITY_POLICY", "default-src 'self'; script-src 'self' 'unsafe-inline'")
    assert any("script-src" in problem for problem in header_problems(Client().get("/accounts/login/")))


def test_forms_refuse_a_post_without_csrf_token(demo_world: DemoWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "coordinator", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    page = client.get("/accounts/login/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    # The API with a session (a browser) needs the token too; a Token client needs none.
    client.force_login(demo_world.users["admin"])
    body = {"name": "X BV", "actor_type": "employer", "regions": ["AM22"]}
    assert client.post("/api/v1/organisations", body, content_type="application/json").status_code == 403


def _login(client: Client, name: str, password: str) -> int:
    return client.post("/accounts/login/", {"login": name, "password": password}).status_code


def test_login_locks_after_repeated_failures_even_with_the_right_password(demo_world: DemoWorld) -> None:
    for _ in range(wendbaar_settings.AXES_FAILURE_LIMIT - 1):
        assert _login(Client(), "coordinator", "wrong") == 200  # the form again, with an error
    assert _login(Client(), "coordinator", "wrong") == 429  # the last allowed failure locks (django-axes)
    locked = Client()
    assert _login(locked, "coordinator", DEMO_PASSWORD) in (200, 429)  # refused, with "too many attempts"
    assert "_auth_user_id" not in locked.session
    from axes.models import AccessAttempt  # kept in the database: every server process sees the lock

    attempt = AccessAttempt.objects.get(username="coordinator")
    assert attempt.failures_since_start == wendbaar_settings.AXES_FAILURE_LIMIT
    assert _login(Client(), "learner", DEMO_PASSWORD) == 302  # other accounts are not locked


def test_admin_login_locks_too(demo_world: DemoWorld) -> None:
    for _ in range(wendbaar_settings.AXES_FAILURE_LIMIT):
        Client().post("/admin/login/", {"username": "admin", "password": "wrong"})
    response = Client().post("/admin/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 429


def test_lockout_and_rate_limits_live_in_shared_storage() -> None:
    # Several gunicorn workers must see the same counts: the database, not a per-process memory.
    assert wendbaar_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert "axes" in wendbaar_settings.INSTALLED_APPS
    cache.set("wendbaar-shared", "yes")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM wendbaar_cache")
        assert cursor.fetchone()[0] >= 1


def test_password_reset_is_rate_limited(demo_world: DemoWorld) -> None:
    statuses = [
        Client().post("/accounts/password/reset/", {"email": "coordinator@demo.wendbaar.invalid"}).status_code
        for _ in range(8)
    ]
    assert 429 in statuses, statuses


def test_passwords_are_hashed_with_argon2() -> None:
    assert wendbaar_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert Argon2PasswordHasher().encode("s3cret", "saltsaltsalt").startswith("argon2$argon2id$")


def test_staff_mfa_end_to_end(demo_world: DemoWorld) -> None:
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

    def code(secret: str) -> str:
        return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))

    client = Client()
    assert _login(client, "admin", DEMO_PASSWORD) == 302
    client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})  # allauth asks it before changes
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert client.post("/accounts/2fa/totp/activate/", {"code": code(secret)}).status_code == 302
    client.post("/accounts/logout/")

    client = Client()
    response = client.post("/accounts/login/", {"login": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/2fa/authenticate" in response["Location"]
    assert client.get("/api/v1/radar-runs").status_code in (401, 403)  # the password alone is not enough
    assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200  # wrong code
    assert client.post("/accounts/2fa/authenticate/", {"code": code(secret)}).status_code == 302
    assert client.get("/api/v1/radar-runs").status_code == 200

    replay = Client()
    replay.post("/accounts/login/", {"login": "admin", "password": DEMO_PASSWORD})
    assert replay.post("/accounts/2fa/authenticate/", {"code": code(secret)}).status_code == 200  # used once


def test_api_tokens_expire_and_rotate(demo_world: DemoWorld, settings: object) -> None:
    from django.core.management import call_command

    token = Token.objects.create(user=demo_world.users["coordinator"])
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert Client().get("/api/v1/radar-runs", **headers).status_code == 200
    old = timezone.now() - dt.timedelta(days=wendbaar_settings.API_TOKEN_MAX_AGE_DAYS, seconds=1)
    Token.objects.filter(pk=token.pk).update(created=old)
    expired = Client().get("/api/v1/radar-runs", **headers)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    from io import StringIO

    out = StringIO()
    call_command("api_token", "coordinator", "--rotate", stdout=out, stderr=StringIO())
    new_key = out.getvalue().strip()
    assert new_key != token.key
    assert Client().get("/api/v1/radar-runs", HTTP_AUTHORIZATION=f"Token {new_key}").status_code == 200
    assert Client().get("/api/v1/radar-runs", **headers).status_code == 401


def test_signup_is_closed_like_the_landing_page_says(demo_world: DemoWorld) -> None:
    landing = Client().get("/").content.decode()
    login = Client().get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in landing + login
    signup = Client().post(
        "/accounts/signup/",
        {"email": "x@example.org", "username": "x", "password1": "Lang-Genoeg-123", "password2": "Lang-Genoeg-123"},
    )
    assert signup.status_code == 200 and "signup_closed" in signup.templates[0].name
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="x").exists()


def test_the_demo_server_does_not_name_the_python_version() -> None:
    from django.core.servers import basehttp

    from wendbaar.web.management.commands.demo import hide_python_version

    before = basehttp.ServerHandler.server_software
    try:
        hide_python_version()
        assert not re.search(r"Python|CPython|\d+\.\d+\.\d+", basehttp.ServerHandler.server_software)
    finally:
        basehttp.ServerHandler.server_software = before


def test_production_mode_passes_check_deploy(tmp_path: object) -> None:
    env = {
        **os.environ,
        "WENDBAAR_PRODUCTION": "true",
        "WENDBAAR_DEBUG": "false",
        "WENDBAAR_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-for-the-check",
        "WENDBAAR_DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "wendbaar.cli", "check", "--deploy", "--fail-level", "WARNING",
         "--tag", "security"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    warnings = set(re.findall(r"security\.W\d+", result.stdout + result.stderr))
    # W021 (HSTS preload) is a decision for the operator, not a default: preloading cannot be undone quickly.
    assert warnings <= {"security.W021"}, result.stdout + result.stderr
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    shown = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wendbaar.cli", "shell", "-c", code], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert shown.stdout.split()[-4:] == ["True", "True", "True", "True"], shown.stderr


def test_migrate_on_a_fresh_database_makes_the_cache_table(migrated_sqlite: os.PathLike[str]) -> None:
    # Test databases get the table from Django's test runner; `make demo` and production get it only
    # from `migrate`. Without it, logging in (rate limits) answers 500 on a fresh machine.
    # `migrated_sqlite` is what `wendbaar migrate` made of a fresh SQLite file (tests/conftest.py), made
    # once per test session for every test that needs one.
    import sqlite3

    with sqlite3.connect(migrated_sqlite) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "wendbaar_cache" in tables
