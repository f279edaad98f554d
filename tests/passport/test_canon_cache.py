"""The canonicalisation cache gives exactly pyld's RDFC-1.0 output, or falls back to pyld."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld

from tests.passport.ob_spec import examples, spec_dir
from wendbaar.passport.credentials import canon_cache, contexts, dataintegrity
from wendbaar.passport.credentials import document as doc


@pytest.fixture(autouse=True, scope="module")
def ob_context() -> None:
    contexts.configure(spec_dir() / "context-3.0.3.json")
    canon_cache.clear()


def _pyld(document: dict) -> str:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": contexts.loader()}
    return str(jsonld.normalize(copy.deepcopy(document), options))


def _credential(name: str, narrative: str, email: str, uris: list[str]) -> dict:
    return doc.build(
        doc.CredentialData(
            credential_id="urn:uuid:0b7e0b6e-8f43-4d55-9c43-1d1a3f1b2c3d",
            issuer=doc.Issuer(did="did:web:wendbaar.example.nl:organisations:x", name="ROC"),
            achievement_id="urn:uuid:1b7e0b6e-8f43-4d55-9c43-1d1a3f1b2c3d",
            achievement_name=name,
            achievement_type="Certificate",
            achievement_description=name,
            criteria="Examen",
            recipient_email=email,
            valid_from=datetime(2026, 1, 1, tzinfo=UTC),
            alignments=[doc.Alignment(uri=u, name=f"skill {i}") for i, u in enumerate(uris)],
            evidence_narrative=narrative,
            status=doc.StatusEntry(list_url="https://wendbaar.example.nl/credentials/status/1", index=7),
        )
    )


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(name=text, narrative=text, email=st.emails())
def test_same_shape_different_values_equal_pyld(name: str, narrative: str, email: str) -> None:
    document = _credential(
        name, narrative, email, ["http://data.europa.eu/esco/skill/a", "http://data.europa.eu/esco/skill/b"]
    )
    assert dataintegrity.canonicalize(document) == _pyld(document)


def test_equal_values_in_two_slots_and_relative_iris_fall_back_correctly() -> None:
    first = _credential("Lassen", "n", "a@b.nl", ["http://e/1", "http://e/2"])
    assert dataintegrity.canonicalize(first) == _pyld(first)
    same = _credential("Lassen", "n", "a@b.nl", ["http://e/1", "http://e/1"])  # a duplicate triple
    assert dataintegrity.canonicalize(same) == _pyld(same)
    relative = _credential("Lassen", "n", "a@b.nl", ["skills/1", "http://e/2"])  # not an absolute IRI
    assert dataintegrity.canonicalize(relative) == _pyld(relative)


def test_official_examples_twice_equal_pyld() -> None:
    for _name, example in examples():
        if not all(contexts.known(url) for url in example["@context"]):
            continue
        assert dataintegrity.canonicalize(example) == _pyld(example)
        changed = json.loads(json.dumps(example).replace("Example", "Voorbeeld"))
        assert dataintegrity.canonicalize(changed) == _pyld(changed)


def test_documents_of_different_structure_never_share_a_shape() -> None:
    verbatim = contexts.verbatim_keys()

    def shape(document: dict) -> tuple:
        return canon_cache._shape(document, verbatim)[0]

    pairs = [
        ({"name": "x"}, {"name": ["x"]}),
        ({"a": 1}, {"a": "1"}),
        ({"a": True}, {"a": 1}),
        ({"a": {"b": "x"}, "c": "y"}, {"a": {"b": "x", "c": "y"}}),
        ({"a": ["x", ["y"]]}, {"a": [["x"], "y"]}),
        ({"type": ["A"], "name": "x"}, {"type": ["B"], "name": "x"}),  # types are vocabulary: part of the shape
    ]
    for one, other in pairs:
        assert shape(one) != shape(other), (one, other)
    assert canon_cache._shape({"name": "x", "n": {"d": "y"}}, verbatim) == (
        shape({"name": "p", "n": {"d": "q"}}),
        ["x", "y"],
    )
