"""`wendbaar demo` serves with a background worker; Ctrl-C and SIGTERM stop both (issue 23)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_stop_the_server_and_the_worker(
    tmp_path: Path, migrated_sqlite: Path, how: str
) -> None:
    env = {
        **os.environ,
        "WENDBAAR_TASKS_BACKEND": "database",
        "WENDBAAR_DATABASE_URL": f"sqlite:///{migrated_sqlite}",
        "WENDBAAR_VAR_DIR": str(tmp_path / "var"),
        "WENDBAAR_STORE_DIR": str(tmp_path / "var" / "radar"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "wendbaar.cli"]
    port = _free_port()
    demo = subprocess.Popen(  # noqa: S603
        [*cli, "demo", "--no-setup", "--addrport", f"127.0.0.1:{port}"],
        env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=_ignore_sigint,  # as a shell starts a background job (`wendbaar demo &`, a CI step)
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        served = False
        while time.monotonic() < deadline and not (served and workers):
            time.sleep(0.5)
            assert demo.poll() is None, "the demo stopped by itself"
            workers = _children(demo.pid)
            try:
                served = urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=5).status == 200  # noqa: S310
            except OSError:
                served = False
        assert served and workers, "the server or the worker did not start"
        if how == "ctrl-c":
            os.killpg(demo.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group
        else:
            demo.send_signal(signal.SIGTERM)  # to the demo only, as a service manager does
        demo.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)], "the worker outlived the demo"
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310
    finally:
        for pid in [demo.pid, *_children(demo.pid)]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
