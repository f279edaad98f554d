"""The ISCO → SBI bridge used to match the hub's open days and trial placements to a path (pure)."""

from __future__ import annotations

from wendbaar.careers.sectors import SECTORS_BY_ISCO, sectors_of
from wendbaar.regions.constants import Sector


def test_the_longest_isco_prefix_wins() -> None:
    assert sectors_of("5322.1") == ("Q",)  # home-based personal care workers
    assert sectors_of("2635") == ("Q",)  # social work professionals: minor group 263, not sub-major 26
    assert sectors_of("2641") == ("M", "R")
    assert sectors_of("7212.3") == ("C", "F")  # welders


def test_occupations_found_everywhere_have_no_sector() -> None:
    assert sectors_of("1211") == ()  # managers
    assert sectors_of("4110") == ()  # general office clerks
    assert sectors_of("") == ()


def test_every_entry_names_real_sbi_sections() -> None:
    assert all(set(sections) <= set(Sector.values) for sections in SECTORS_BY_ISCO.values())
    assert all(key.isdigit() for key in SECTORS_BY_ISCO)
