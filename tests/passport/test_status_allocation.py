"""Status-list indexes are drawn at random among never-used ones, in lists of at least 131,072 entries,
and stay unique when issuers allocate at the same time (the database decides, not a lock in the process)."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from tests.passport.conftest import WELDING
from wendbaar.passport import services
from wendbaar.passport.credentials import statuslist
from wendbaar.passport.models import Credential, StatusList


def _bits_set(bits: bytes) -> set[int]:
    return {i for i in range(len(bits) * 8) if bits[i >> 3] & (0x80 >> (i & 7))}


def test_picked_indexes_are_distinct_free_and_not_in_order() -> None:
    taken = statuslist.set_bits(bytes(statuslist.MIN_SIZE // 8), list(range(0, 1000)))
    picked = statuslist.pick_free(taken, 500, rng=random.Random(7))
    assert len(set(picked)) == 500
    assert all(i >= 1000 for i in picked)
    assert picked != sorted(picked)
    assert max(picked) - min(picked) > statuslist.MIN_SIZE // 2  # spread over the list, not a run


def test_a_nearly_full_list_gives_exactly_its_last_free_indexes_then_refuses() -> None:
    free = {5, 77, 1023}
    taken = statuslist.set_bits(bytes(128), [i for i in range(1024) if i not in free])
    assert set(statuslist.pick_free(taken, 3, rng=random.Random(1))) == free
    with pytest.raises(ValueError, match="3 free entries, 4 asked"):
        statuslist.pick_free(taken, 4)


@pytest.mark.django_db
def test_issued_credentials_get_random_unique_indexes_in_a_list_of_at_least_131072(skills: Any, people: Any) -> None:
    issued = [
        services.issue_credential(
            issuer_organisation=people["provider_org"], recipient=people["learner"], achievement_name=f"Module {n}"
        )
        for n in range(12)
    ]
    indexes = [c.status_index for c in issued]
    assert len(set(indexes)) == 12
    assert indexes != sorted(indexes) or max(indexes) > 10_000  # not 0, 1, 2, …
    status_list = StatusList.objects.get()
    assert status_list.size >= 131_072 and len(bytes(status_list.bits)) * 8 == status_list.size
    assert _bits_set(bytes(status_list.allocated)) == set(indexes) and status_list.allocated_count == 12
    for credential in issued:
        entry = credential.document["credentialStatus"]
        assert entry["statusListIndex"] == str(credential.status_index)


@pytest.mark.django_db
def test_an_index_stays_taken_after_the_holder_is_erased_and_a_full_list_opens_a_new_one(
    skills: Any, people: Any
) -> None:
    credential = services.issue_credential(
        issuer_organisation=None, recipient=people["other"], achievement_name="Heftruck", skills=[WELDING]
    )
    index = credential.status_index
    services.erase_passport(person=people["other"])
    assert not Credential.objects.filter(pk=credential.pk).exists()
    first = StatusList.objects.get()
    assert index in _bits_set(bytes(first.allocated))
    with transaction.atomic():
        same, rest = services.allocate_status(organisation=None, count=first.size - 1)  # every index left, at once
    assert same.pk == first.pk and index not in rest and len(set(rest)) == first.size - 1
    first.refresh_from_db()
    assert first.allocated_count == first.size and bytes(first.allocated) == b"\xff" * (first.size // 8)
    with transaction.atomic():
        second, more = services.allocate_status(organisation=None, count=2)
    assert second.pk != first.pk and len(set(more)) == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database (shared cache) answers a second writer 'table is locked' at once "
    "instead of queueing it as a file database does; concurrent writers are tested on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_never_share_an_index(skills: Any, people: Any) -> None:
    threads, per_thread = 4, 8
    start = threading.Barrier(threads)
    got: list[int] = []
    failures: list[BaseException] = []

    def allocate() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    _list, indexes = services.allocate_status(organisation=people["provider_org"])
                got.extend(indexes)
        except BaseException as exc:  # reported below; a thread's exception is otherwise lost
            failures.append(exc)
        finally:
            connection.close()  # each thread has its own database connection

    workers = [threading.Thread(target=allocate) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert len(got) == len(set(got)) == threads * per_thread
    status_list = StatusList.objects.get(organisation=people["provider_org"])
    assert status_list.allocated_count == threads * per_thread
    assert _bits_set(bytes(status_list.allocated)) == set(got)
