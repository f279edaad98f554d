"""The taxonomy version behind search is cached per process, but a change shows at once in search."""

from __future__ import annotations

import pytest

from tests.skills.conftest import ESCO, WELDER
from wendbaar.skills import search, services
from wendbaar.skills.models import Concept


@pytest.mark.django_db(transaction=True)
def test_cached_version_needs_no_queries_and_a_new_synonym_is_found_at_once(django_assert_num_queries) -> None:
    services.forget_taxonomy_version()
    services.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl"])
    version = services.cached_taxonomy_version()
    assert version == services.taxonomy_version()
    services.get_engine()
    with django_assert_num_queries(0):
        assert services.cached_taxonomy_version() == version
        search.search("lasser")  # engine and version come from the process cache

    assert "quokkaroller" not in [h.label for h in search.search("quokkaroller", kind="occupation")]
    services.add_regional_label(concept=Concept.objects.get(uri=WELDER), text="quokkaroller", language="nl")
    assert services.cached_taxonomy_version() != version
    top = search.search("quokkaroller", kind="occupation")[0]
    assert (top.uri, top.label) == (WELDER, "quokkaroller")
    suggestion = search.autocomplete("quokkarol", kind="occupation")[0]
    assert (suggestion.uri, suggestion.label) == (WELDER, "quokkaroller")
