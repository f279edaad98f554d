"""Publishing the monitor's figures: small cells hidden, and no hidden cell worked out from the others."""

from __future__ import annotations

from wendbaar.funding.monitor.disclosure import Counts, publish, show_count


def _row(key: str, people: int, completed: int = 0, dropped: int = 0, spent: int = 0) -> Counts:
    return Counts(key, key, people, people, completed, dropped, spent)


def _total(rows: list[Counts]) -> Counts:
    return Counts("", "Total", *(sum(getattr(r, c) for r in rows) for c in
                                 ("people", "enrolments", "completed", "dropped_out", "spent_cents")))  # fmt: skip


def test_a_single_small_row_hides_the_next_smallest_too() -> None:
    rows = [_row("a", 40, 20, 0, 4000), _row("b", 12, 10, 0, 1200), _row("c", 3, 0, 0, 300)]
    published, total = publish(rows, _total(rows))
    assert [r.people for r in published] == [40, None, None]  # b hidden too: total - a - b would give c
    assert published[1].spent_cents is None and published[2].spent_cents is None
    assert total.people == 55 and total.spent_cents == 5500


def test_a_single_small_count_in_a_column_hides_another_in_that_column() -> None:
    rows = [_row("a", 40, completed=30), _row("b", 20, completed=4), _row("c", 15, completed=11)]
    published, total = publish(rows, _total(rows))
    assert [r.completed for r in published] == [30, None, None]
    assert [r.people for r in published] == [40, 20, 15]  # the rows themselves stay
    assert total.completed == 45


def test_cost_per_completion_is_hidden_with_the_completions() -> None:
    rows = [_row("a", 40, completed=20, spent=400_000), _row("b", 20, completed=4, spent=90_000),
            _row("c", 15, completed=2, spent=50_000)]  # fmt: skip
    published, _ = publish(rows, _total(rows))
    assert published[0].cost_per_completion_cents == 20_000
    assert published[1].cost_per_completion_cents is None and published[2].cost_per_completion_cents is None
    assert published[1].spent_cents == 90_000  # money is shown: the completions it would divide by are not


def test_too_few_people_in_all_shows_nothing() -> None:
    rows = [_row("a", 6, 2, 1, 100), _row("b", 2)]
    published, total = publish(rows, _total(rows))
    assert total.people is None and total.spent_cents is None
    assert all(r.people is None and r.spent_cents is None for r in published)
    assert show_count(total.people) == "< 10"


def test_zero_is_not_hidden() -> None:
    rows = [_row("a", 30, completed=0), _row("b", 25, completed=0)]
    published, _ = publish(rows, _total(rows))
    assert [r.completed for r in published] == [0, 0]
