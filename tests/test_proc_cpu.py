"""The /proc readers the benchmarks and the ledger's crash test share (wendbaar.proc_cpu)."""

from __future__ import annotations

import os
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
