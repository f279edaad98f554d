"""`wendbaar demo`: set up a demo region with a user per role, then serve on http://127.0.0.1:8000.

While it serves, two background workers (`wendbaar db_worker`) run beside the web server, so an
upload on the radar's page is read and enriched as it would be in production while the other builds the
skills engine's semantic layer (the lexical engine serves until then).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.web.demo import DEMO_PASSWORD, DEMO_STEPS, ROLE_NAMES, set_up_demo
from wendbaar.web.demo_data import DATA_STEPS


class Command(BaseCommand):
    help = (
        "Set up a demo (migrate, regions, organisations, one user per role, ESCO, a radar of synthetic vacancies) "
        "and serve it. Never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="only set up; do not start the server")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)")
        parser.add_argument("--shared-data", type=Path, default=None, help="folder of the shared data sets")
        parser.add_argument("--no-setup", action="store_true", help="serve the demo set up before; set up nothing")

    def handle(
        self, *args: Any, no_serve: bool, addrport: str, shared_data: Path | None, no_setup: bool, **options: Any
    ) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("The demo creates users with a known password; it refuses to run in production.")
        if no_setup:
            serve(addrport)
            return
        call_command("migrate", interactive=False, verbosity=0)
        _world, lines = set_up_demo(shared_data=shared_data, steps=[*DEMO_STEPS, *DATA_STEPS])
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
        login = f"http://{addrport}/accounts/login/"
        self.stdout.write(f"Log in at {login} with one of these users (password: {DEMO_PASSWORD}):")
        for role in ROLE_NAMES:
            self.stdout.write(f"  {role}")
        if not no_serve:
            serve(addrport)


def serve(addrport: str) -> None:
    """Run the web server with the background worker beside it; both stop on Ctrl-C and on SIGTERM.

    Python ends on SIGTERM without running `finally` blocks, which left the worker running; here
    SIGTERM (and SIGHUP, a closed terminal) stop the server the way Ctrl-C does, and then the worker.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    # A shell starts a background job (`wendbaar demo &`, a CI step) with SIGINT ignored, and the
    # demo and its worker would inherit that: Ctrl-C must stop them however they were started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    workers = [w for w in (start_worker() for _ in range(DEMO_WORKERS)) if w is not None]
    if workers:
        sys.stdout.write(
            f"{len(workers)} background workers started (radar uploads, engine rebuilds, the semantic layer).\n"
        )
    hide_python_version()
    try:
        call_command("runserver", addrport, use_reloader=False)
    finally:
        for worker in workers:
            stop_worker(worker)


# Two workers: the first semantic build of all of ESCO keeps one busy for about 17 core-minutes (label
# vectors are embedded once, then cached in var/), and an upload on the radar page must not wait for it.
DEMO_WORKERS = 2


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # runserver answers it by shutting down; `serve` then stops the worker


def stop_worker(worker: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Ask the worker to stop (it finishes its current task), and make it stop if it does not."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def start_worker() -> subprocess.Popen[bytes] | None:
    """Start `wendbaar db_worker` for the queued background work; None when tasks run immediately."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return None
    command = [sys.executable, "-m", "wendbaar.cli", "db_worker", "--no-reload", "--queue-name", "*"]
    return subprocess.Popen(command)  # noqa: S603 - our own command, no user input


def hide_python_version() -> None:
    """Answer with `Server: Wendbaar`, not the development server's `WSGIServer/0.2 CPython/3.11.x`.

    Telling every visitor the exact Python version helps only an attacker. (gunicorn, the production
    server, says just `gunicorn`.)
    """
    from django.core.servers import basehttp

    basehttp.ServerHandler.server_software = "Wendbaar"
