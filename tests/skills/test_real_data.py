"""Against the real shared ESCO data: the done-when counts, re-import no-op and the four search expectations.

One test on purpose: the full import (~15 s) and engine build (~30 s) are paid once, inside the test's
transaction, so nothing leaks to other tests on the same worker (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_shared_data
from tests.skills.conftest import LORRY_DRIVER, NURSE, PYTHON, WELDING
from wendbaar.skills import search, services
from wendbaar.skills.models import Concept, Label, LabelKind, OccupationSkill

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_full_shared_data_import_counts_reimport_and_search(engine_path: Path) -> None:
    esco = require_shared_data("esco")
    paths = [esco / "v1.1.1", esco / "v1.2.0-nl", esco / "nl-skill-labels"]
    services.import_taxonomy(paths=paths, allow_unknown_concepts=True)

    occupations = Concept.objects.filter(kind="occupation")
    english = occupations.filter(labels__language="en", labels__kind=LabelKind.PREFERRED).distinct()
    assert english.count() == 3007
    assert Concept.objects.filter(kind="skill").count() == 13896
    assert OccupationSkill.objects.count() == 123855
    # The v1.2 Dutch file adds 35 occupations v1.1.1 lacks (3 of v1.1.1 are absent from it).
    assert occupations.exclude(version="").count() == 3007 + 35
    dutch = occupations.filter(labels__language="nl", labels__kind=LabelKind.PREFERRED).distinct()
    assert dutch.count() == 3039

    before = Label.objects.count()
    assert services.import_taxonomy(paths=paths, allow_unknown_concepts=True).changed is False
    assert Label.objects.count() == before

    expectations = [
        ("vrachtwagenchauffeur", "occupation", LORRY_DRIVER),
        ("verpleegkundige", "occupation", NURSE),
        ("lassen", "skill", WELDING),
        ("Python", "skill", PYTHON),
    ]
    for query, kind, expected in expectations:
        assert search.search(query, kind=kind)[0].uri == expected, query
