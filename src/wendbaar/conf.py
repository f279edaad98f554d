"""Every Wendbaar setting, declared once: name, default, type and help.

`settings.py` reads them from `WENDBAAR_*` environment variables and `docs/settings.md` is
generated from this list (`wendbaar settings_docs`), so the docs can never miss a setting.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {raw!r} (use true or false)")


def _positive_number(raw: str) -> float:
    value = float(raw)
    if not value > 0:  # also refuses nan
        raise ValueError(f"must be a number above 0, not {raw!r}")
    return value


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return f"WENDBAAR_{self.name}"

    def read(self, environ: dict[str, str] | os._Environ[str] | None = None) -> Any:
        environ = os.environ if environ is None else environ
        raw = environ.get(self.env, self.default)
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise ValueError(f"{self.env}: {exc}") from exc


DECLARED: tuple[Setting, ...] = (
    Setting(
        "PRODUCTION", "false", "Run in production mode: refuses to start without a secret key or with DEBUG on.", _bool
    ),
    # Off by default: the demo and a first try show the product's own error pages, never a stack trace.
    Setting(
        "DEBUG", "false", "Show Django debug pages (set true while developing). Must be false in production.", _bool
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Secret key for signing sessions and tokens. Required in production; otherwise a fixed development key.",
    ),
    Setting(
        "ALLOWED_HOSTS", "127.0.0.1,localhost,testserver", "Comma-separated host names this server answers to.", _list
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///var/wendbaar.sqlite3",
        "Database URL. SQLite (the default, relative paths are under the project root) or postgres://user@host:port/name.",
    ),
    Setting("SQLITE_BUSY_TIMEOUT", "10", "Seconds SQLite waits for a lock before failing.", float),
    Setting(
        "VAR_DIR",
        "var",
        "Directory for the SQLite database, the analytics store and run files (relative to the project root).",
    ),
    Setting(
        "SHARED_DATA",
        "../shared/data",
        "Directory of the shared data sets (ESCO, regions, benchmarks), relative to the project root.",
    ),
    Setting("TIME_ZONE", "Europe/Amsterdam", "Time zone used to show times; times are stored in UTC."),
    Setting("LANGUAGE_CODE", "nl", "Default language of the user interface (nl or en)."),
    Setting(
        "EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend",
        "Django e-mail backend for password reset and notices.",
    ),
    Setting("DEFAULT_FROM_EMAIL", "wendbaar@localhost", "Sender address of e-mail."),
    Setting("API_PAGE_SIZE", "50", "Default page size of API lists.", int),
    Setting(
        "ENGINE_PATH",
        "var/engine.bin",
        "Where `wendbaar engine build` saves the skills engine (relative to the project root).",
    ),
    Setting(
        "ENGINE_SEMANTIC",
        "true",
        "Give the skills engine its semantic layer (meaning, across Dutch and English): the background worker "
        "builds it after the lexical engine (label vectors cached in VAR_DIR, so a rebuild embeds only new "
        "labels) and search, own words, tagging and the loopbaan-APK answer by meaning once it is there. "
        "false: lexical only.",
        _bool,
    ),
    Setting(
        "PDF_PROCESSES",
        "1",
        "Helper processes per server process that render PDFs (WeasyPrint), started on first use, so a PDF "
        "never holds the web threads' GIL; 0 renders in the request thread. Each PDF is kept on disk under "
        "VAR_DIR/cache/pdf per content, so the same page is rendered once.",
        int,
    ),
    Setting(
        "CHART_PROCESSES",
        "1",
        "Helper processes per server process that draw the charts (vl-convert keeps the GIL for the whole "
        "drawing, 0.05–0.3 s per chart, which froze every other thread of a gthread worker); 0 draws in "
        "the request thread.",
        int,
    ),
    Setting(
        "SWITCH_INTERVAL_MS",
        "1",
        "How long, in milliseconds, a thread of a server process may hold Python's GIL while another waits "
        "(Python's own default is 5). A request thread coming back from the database waits up to this long "
        "for the GIL behind a busy thread of its process, once per query.",
        _positive_number,
    ),
    Setting(
        "RADAR_WARM_AFTER_LANDING",
        "true",
        "The background worker computes the radar's common figures (every region's dashboard, occupation "
        "growth and skill shares, tension) once a run has landed, so the first visitor after it does not; "
        "skipped while more uploads wait (the last one warms) and when tasks run inside the request "
        "(TASKS_BACKEND=immediate).",
        _bool,
    ),
    Setting(
        "RADAR_STALE_SECONDS",
        "30",
        "For this many seconds after a run lands, a radar page whose figures are not yet computed for it "
        "shows them as they were before the run; after a third of it a background thread computes the new "
        "ones (the worker computes the common ones at once: RADAR_WARM_AFTER_LANDING); 0 computes them in "
        "the request.",
        int,
    ),
    Setting("STORE_DIR", "var/radar", "Directory of the radar's Parquet store (relative to the project root)."),
    Setting(
        "RADAR_RUN_STALE_AFTER",
        "600",
        "Seconds without a heartbeat after which a running radar run counts as stalled (its worker died); "
        "a coordinator can then retry it. Keep it above the longest step between two heartbeats "
        "(one enrichment window of about 10,000 vacancies).",
        int,
    ),
    Setting("LOG_LEVEL", "INFO", "Log level of the application loggers."),
    Setting(
        "TASKS_BACKEND",
        "database",
        "Where background work (radar uploads, engine rebuilds, the monitor's compaction) runs: `database` queues "
        "it for `wendbaar db_worker`; `immediate` runs it at once inside the request (tests, tiny set-ups).",
    ),
    Setting(
        "CREDENTIAL_ISSUER_URL",
        "http://localhost:8000",
        "Public base URL of this platform: its did:web identity (did:web:<host>) and the URLs of status lists.",
    ),
    Setting("CREDENTIAL_ISSUER_NAME", "Wendbaar", "Name of the platform as issuer of credentials."),
    Setting(
        "CREDENTIAL_KEYS",
        "",
        "Credential signing keys as PEM text (an Ed25519 and an RSA key of at least 2048 bits; several "
        "blocks allowed, the last of each kind signs). Added to the keys in CREDENTIAL_KEYS_DIR.",
    ),
    Setting(
        "CREDENTIAL_KEYS_DIR",
        "var/keys",
        "Directory of credential signing keys (*.pem, oldest first by name; `wendbaar passport_keys --rotate` "
        "adds new ones). Outside production a missing directory is created with new keys.",
    ),
    Setting(
        "CREDENTIAL_FETCH_TIMEOUT",
        "5",
        "Seconds to wait for another issuer's DID document or status list when a person imports a credential; "
        "a server that takes longer counts as unreachable.",
        float,
    ),
    Setting(
        "DID_WEB_HTTP_HOSTS",
        "",
        "Hosts whose did:web documents and status lists are fetched over plain http instead of https "
        "(comma-separated, e.g. `localhost,127.0.0.1`), for tests and local development only. Empty: did:web "
        "always uses https, as the did:web method requires. Refused in production.",
        _list,
    ),
    Setting(
        "CREDENTIAL_FETCH_ALLOWED_NETWORKS",
        "",
        "Networks (comma-separated CIDR, e.g. `127.0.0.0/8`) from which another issuer's DID document or status "
        "list may be fetched although they are not public. Empty: only public internet addresses, checked after "
        "DNS resolution and again on connecting, so a credential cannot make the server call loopback, private "
        "or link-local addresses (the cloud metadata address among them). For tests with a local server and "
        "an issuer on your own intranet.",
        _list,
    ),
    Setting(
        "OB_CONTEXT_PATH",
        "../shared/specs/open-badges-3.0/ob_v3p0/context-3.0.3.json",
        "The Open Badges 3.0 JSON-LD context file, served to canonicalisation offline (never fetched).",
    ),
    Setting(
        "DEMAND_SIMILARITY",
        "0.5",
        "Pooling: the weighted Jaccard similarity of two demands' skills (essential skills weigh 2) from which "
        "they may share a pool (0-1).",
        float,
    ),
    Setting(
        "DEMAND_MIN_OVERLAP_DAYS",
        "56",
        "Pooling: the days the time windows of a pool's demands must have in common (long enough for a run).",
        int,
    ),
    Setting(
        "DEMAND_DEFAULT_MIN_GROUP",
        "8",
        "Pooling: the people a pool needs to be viable where no matching offering states a minimum group size.",
        int,
    ),
    Setting(
        "DEMAND_GAP_COVERAGE",
        "0.6",
        "Gaps: a pool or demand whose skills no offering in reach covers at least this share of (weighted) "
        "becomes a gap; also the coverage an offering needs to count for a pool's minimum group size.",
        float,
    ),
    Setting(
        "API_TOKEN_MAX_AGE_DAYS",
        "90",
        "Days an API token works after it was made; then the API answers 401 until it is rotated "
        "(`wendbaar api_token USER --rotate`).",
        int,
    ),
    Setting(
        "SIGNUP_OPEN",
        "false",
        "Let people make their own account at /accounts/signup/ (with mandatory e-mail verification). "
        "Off by default: a region's coordinator makes the accounts, as the landing page says.",
        _bool,
    ),
    Setting("LOGIN_FAILURE_LIMIT", "5", "Failed logins (per user name and address) before the login is locked.", int),
    Setting("LOGIN_LOCKOUT_MINUTES", "30", "Minutes a locked login stays locked.", int),
    Setting(
        "HSTS_SECONDS",
        "31536000",
        "Strict-Transport-Security max-age in production mode (0 switches HSTS off, e.g. behind a TLS proxy "
        "that sets it itself).",
        int,
    ),
)

BY_NAME = {setting.name: setting for setting in DECLARED}


def get(name: str) -> Any:
    """Return the parsed value of a declared setting."""
    return BY_NAME[name].read()


def project_path(value: str) -> Path:
    """Return `value` as an absolute path, relative ones under the project root."""
    path = Path(value)
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


def settings_markdown() -> str:
    """Return the operator documentation of all settings as Markdown."""
    lines = [
        "# Settings",
        "",
        "Generated from `src/wendbaar/conf.py` by `wendbaar settings_docs`; do not edit by hand.",
        "Every setting is read from an environment variable.",
        "",
        "| variable | default | meaning |",
        "| --- | --- | --- |",
    ]
    for setting in DECLARED:
        default = f"`{setting.default}`" if setting.default else "(empty)"
        lines.append(f"| `{setting.env}` | {default} | {setting.help} |")
    return "\n".join(lines) + "\n"
