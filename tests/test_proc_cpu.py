"""The /proc readers the benchmarks and the ledger's crash test share (wendbaar.proc_cpu)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from wendbaar import proc_cpu

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")


def test_a_process_cpu_grows_with_work_and_a_missing_process_reads_none() -> None:
    before = proc_cpu.cpu_seconds(os.getpid())
    assert before is not None
    deadline = time.process_time() + 0.05  # a few ticks of work
    while time.process_time() < deadline:
        pass
    after = proc_cpu.cpu_seconds(os.getpid())
    assert after is not None and after >= before + 0.02
    assert proc_cpu.cpu_seconds(None) is None
    assert proc_cpu.cpu_seconds(2**22 + 12345) is None  # above Linux's largest pid


def test_the_machine_was_busy_less_than_it_was_there() -> None:
    busy, total = proc_cpu.machine_cpu()
    assert 0 < busy <= total


def test_a_process_tree_counts_its_living_children() -> None:
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", burn])  # noqa: S603 - our own interpreter
    try:
        deadline = time.monotonic() + 20
        while (proc_cpu.cpu_seconds(child.pid) or 0.0) < 0.25 and time.monotonic() < deadline:
            time.sleep(0.05)
        own = proc_cpu.cpu_seconds(os.getpid())
        tree = proc_cpu.tree_cpu_seconds(os.getpid())
        assert own is not None and tree >= own + 0.25
    finally:
        child.kill()
        child.wait()
    assert proc_cpu.tree_cpu_seconds(2**22 + 12345) == 0.0
