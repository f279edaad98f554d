"""The lottery of an allocation round: pure Python, no Django, reproducible by anyone.

Before a round's window opens the fund publishes the SHA-256 of a secret seed (the commitment); after
the window it publishes the seed, and anyone can check the commitment and redo the draw:

1. each application's ticket is the SHA-256 (hex) of ``"<seed>:<application id>"``;
2. applications are put in order of priority group (0 first), then of ticket (then of id);
3. the first ones get the money, as far as the budget goes: ``seats = budget // amount per person``.

The time of applying plays no part: applying in the first second gives no better place than in the last.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    """The SHA-256 of the seed, published before the window opens."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def ticket(seed: str, application_id: str) -> str:
    return hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()


@dataclass(frozen=True)
class Draw:
    application_id: str
    group: int
    ticket: str
    rank: int  # 1 is first
    granted: bool


def draw(*, seed: str, applications: list[tuple[str, int]], seats: int) -> list[Draw]:
    """Rank `applications` ((id, priority group) pairs) and grant the first `seats`; the input order is irrelevant."""
    ordered = sorted(
        ((group, ticket(seed, application_id), application_id) for application_id, group in sorted(applications))
    )
    return [
        Draw(application_id, group, drawn, rank, rank <= seats)
        for rank, (group, drawn, application_id) in enumerate(ordered, start=1)
    ]
