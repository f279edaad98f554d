"""The careers app's demo steps, run by `wendbaar demo` after the taxonomy, engine and radar steps."""

from __future__ import annotations

from collections.abc import Callable

from wendbaar.web.demo import DemoWorld

DEMO_STEPS: list[Callable[[DemoWorld], str]] = []
