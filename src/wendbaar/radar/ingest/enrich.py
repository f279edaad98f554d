"""Enrichment rules: vacancies to an ESCO occupation and skills with the engine.

The work unit is a chunk of (vacancy_id, title, description) tuples and the result of a chunk is
two small Arrow tables (a `Batch`), so the same `enrich_chunk` runs in this process, in a local
process pool and on Dask workers (`radar.execution`), and a result travels back as a few buffers
instead of an object per value. Each worker process loads the engine file once (`load_engine`
caches it per path and mtime). This module does not import Django: workers only need
`wendbaar.engine` and the engine file.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from wendbaar.engine import Engine
from wendbaar.radar.store import schema

_ENGINES: dict[tuple[str, float], Engine] = {}
# Skills are the engine's own finds (k=None: every content word of a label in one window, or the
# label as a phrase), best first, at most MAX_SKILLS. Asking for a top k instead also ranks
# partly covered labels: on 1,500 synthetic vacancies with the full ESCO engine, top 30 with a
# 0.3 cut gave the same recall of the planted skills (1.0) at precision 0.15 instead of 0.38, and
# was 1.2-1.6x slower (fully covered labels are found through a prefix index and cached per sentence).
MAX_SKILLS = 30
# The title decides the occupation; the body is only asked when the title is ambiguous (runner-up
# within MARGIN, or a weak best match). Linking with context costs the engine a skill scan of the
# text: 30 ms instead of 7 ms per vacancy with the full ESCO engine, for the same accuracy on
# clear titles, so it is kept for the few that need it.
CONTEXT_CHARS = 400
MARGIN = 0.05
WEAK = 0.8

Item = tuple[str, str, str]  # vacancy_id, title, description
# Vacancies per task (~1 MB of text per 500). A Dask task costs the process of a LocalCluster's
# scheduler and client ~3 ms of CPU besides the bytes (three tasks per chunk in an ingest), taken
# from the workers' cores when they share a machine: chunks of 1,000 cut the driver's CPU per
# vacancy by a fifth against 500, and still leave a 10,000-row batch ten tasks to share out.
CHUNK_SIZE = 500
DASK_CHUNK_SIZE = 1_000
# json.dumps with options builds a new encoder per call; one shared encoder halves the cost of
# the evidence strings (about 30 per vacancy).
_to_json = json.JSONEncoder(ensure_ascii=False).encode

# What a worker sends back per chunk, typed as in the store (schema.py).
UPDATES = pa.schema(
    [
        schema.VACANCIES.field(name)
        for name in (
            "vacancy_id", "occupation_uri", "occupation_label", "occupation_score", "occupation_evidence", "language",
        )
    ]
)  # fmt: skip
SKILLS = pa.schema(
    [schema.VACANCY_SKILLS.field(name) for name in ("vacancy_id", "skill_uri", "skill_label", "score", "evidence")]
)


@dataclass
class SkillResult:
    uri: str
    label: str
    score: float
    evidence: str  # JSON list of snippets


@dataclass
class Result:
    vacancy_id: str
    occupation_uri: str | None
    occupation_label: str | None
    occupation_score: float | None
    occupation_evidence: str
    language: str
    skills: list[SkillResult] = field(default_factory=list)


# An engine *spec* is what travels to the workers (pool initializer, Dask tasks, `Job.engine_path`): the
# engine file's path, with this suffix when the semantic layer reads (`radar ingest/enrich --semantic`).
SEMANTIC_SUFFIX = "#semantic"
# By meaning, the radar embeds a vacancy's whole sentences only, not their clauses too: 2.4 times fewer
# phrases for the same RP@5 on the tune half of the sentence set (docs/scaling.md).
RADAR_CLAUSES = False


def engine_spec(path: str, *, semantic: bool) -> str:
    return f"{path}{SEMANTIC_SUFFIX}" if semantic else path


def split_spec(spec: str) -> tuple[str, bool]:
    """(engine file path, read by meaning) of an engine spec."""
    if spec.endswith(SEMANTIC_SUFFIX):
        return spec[: -len(SEMANTIC_SUFFIX)], True
    return spec, False


def load_engine(spec: str) -> Engine:
    """Return the engine saved at `spec`'s path, loaded once per process (reloaded when the file changes)."""
    path = split_spec(spec)[0]
    key = (path, os.path.getmtime(path))
    engine = _ENGINES.get(key)
    if engine is None:
        if _ENGINES:
            # A newer engine file: let the collector see (and free) the old engine before the new
            # one is frozen, or a long-running worker would keep every engine it ever loaded.
            _ENGINES.clear()
            gc.unfreeze()
            gc.collect()
        engine = Engine.load(path)
        _ENGINES[key] = engine
        # The engine is millions of objects that live as long as the process: out of the cyclic
        # collector's sight, its full collections no longer walk them all (7% of a worker's time).
        gc.freeze()
    return engine


def init_worker(path: str) -> None:
    """Process-pool initializer: load the engine (and the model, for the semantic layer) before the first chunk."""
    engine = load_engine(path)
    if split_spec(path)[1] and engine.semantic is not None:
        engine.semantic.embed(["warm up"])  # the model's first call costs half a second of set-up
    to_batch([])  # pyarrow's first table costs half a second of one-time setup: not on the first chunk


def _language(title: str, description: str) -> str:
    from wendbaar.engine.lang import detect

    return detect(f"{title}\n{description[:600]}")


def _ambiguous(matches: Sequence[Any]) -> bool:
    if not matches:
        return True
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    return matches[0].score < WEAK or matches[0].score - runner_up < MARGIN


def enrich_one(engine: Engine, vacancy_id: str, title: str, description: str, *, semantic: bool = False) -> Result:
    """Return the occupation and skills of one vacancy, with scores and evidence."""
    return enrich_many(engine, [(vacancy_id, title, description)], semantic=semantic)[0]


def _occupation(engine: Engine, title: str, description: str, lang: str, semantic: bool = False) -> tuple[Any, str]:
    """The best occupation match of a vacancy (None without one) and its evidence as JSON."""
    matches = engine.link(title, kind="occupation", k=3, lang=lang, semantic=semantic)
    used_context = bool(description) and _ambiguous(matches)
    if used_context:
        matches = engine.link(
            title, text=description[:CONTEXT_CHARS], kind="occupation", k=3, lang=lang, semantic=semantic
        )
    best = matches[0] if matches else None
    evidence = _to_json(
        {
            "matched_label": best.label if best else None,
            "used_text": used_context,
            "evidence": list(best.evidence) if best else [],
            "alternatives": [{"uri": m.uri, "score": round(m.score, 4)} for m in matches[1:]],
        }
    )
    return best, evidence


def enrich_many(engine: Engine, items: Sequence[Item], *, semantic: bool = False) -> list[Result]:
    """Return the occupation and skills of each vacancy; the skills of all are found in one batch.

    `semantic` reads titles and texts by meaning too (the engine's semantic layer; `--semantic`)."""
    if semantic and not engine.has_semantic:
        raise ValueError("this engine has no semantic layer: build it with `wendbaar engine build --semantic`")
    langs = [_language(title, description) for _vid, title, description in items]
    occupations = [
        _occupation(engine, title, description, lang, semantic)
        for (_vid, title, description), lang in zip(items, langs, strict=True)
    ]
    bodies = [f"{title}\n{description}" if description else title for _vid, title, description in items]
    found = engine.extract_skills_many(
        bodies,
        langs=langs,
        occupations=[best.uri if best else None for best, _e in occupations],
        semantic=semantic,
        clauses=RADAR_CLAUSES,
    )
    results = []
    for (vacancy_id, _t, _d), lang, (best, evidence), body, skills_found in zip(
        items, langs, occupations, bodies, found, strict=True
    ):
        skills = []
        for s in skills_found[:MAX_SKILLS]:
            snippets = list(dict.fromkeys(body[a:b] for a, b in s.spans[:3])) or list(s.evidence)
            skills.append(SkillResult(s.uri, engine.label_of(s.uri), float(s.score), _to_json(snippets)))
        results.append(
            Result(
                vacancy_id=vacancy_id,
                occupation_uri=best.uri if best else None,
                occupation_label=engine.label_of(best.uri) if best else None,
                occupation_score=float(best.score) if best else None,
                occupation_evidence=evidence,
                language=lang,
                skills=skills,
            )
        )
    return results


@dataclass
class Batch:
    """The results of a chunk as columns: one row per vacancy (UPDATES), one per found skill (SKILLS)."""

    vacancies: pa.Table
    skills: pa.Table


def to_batch(results: Sequence[Result]) -> Batch:
    """Return results as a Batch (built in the worker, so the driver only concatenates)."""
    found = [(r.vacancy_id, s) for r in results for s in r.skills]
    skills = [
        [vacancy_id for vacancy_id, _s in found],
        [s.uri for _v, s in found],
        [s.label for _v, s in found],
        [s.score for _v, s in found],
        [s.evidence for _v, s in found],
    ]
    return Batch(
        vacancies=pa.table(
            [
                [r.vacancy_id for r in results],
                [r.occupation_uri for r in results],
                [r.occupation_label for r in results],
                [r.occupation_score for r in results],
                [r.occupation_evidence for r in results],
                [r.language for r in results],
            ],
            schema=UPDATES,
        ),
        skills=pa.table(skills, schema=SKILLS),
    )


def enrich_chunk(items: Sequence[Item], engine_path: str) -> Batch:
    """Enrich a chunk of vacancies with the engine of spec `engine_path` (the unit of parallel work)."""
    engine = load_engine(engine_path)
    semantic = split_spec(engine_path)[1]
    work = [(vid, title, description or "") for vid, title, description in items]
    return to_batch(enrich_many(engine, work, semantic=semantic))


@dataclass(frozen=True)
class Job:
    """What results are stamped with: the engine's file, the (engine, taxonomy) versions, occupation
    URI -> ISCO code, and when. Sent once to each Dask worker, not with every chunk."""

    engine_path: str
    versions: tuple[str, str]
    isco: dict[str, str]
    now: dt.datetime


def apply_results(
    table: pa.Table, updates: pa.Table, skills: pa.Table, job: Job
) -> tuple[pa.Table, pa.Table, pa.Array]:
    """Return `table` (vacancies) with the results in `updates` filled in, the skill rows of those
    vacancies in the store's schema, and a mask of the rows that had a result.

    `updates` and `skills` may hold results of other vacancies too; only the table's rows match.
    All column work is Arrow's: no Python object per stored value.
    """
    import pyarrow.compute as pc

    versions = job.versions
    position = pc.index_in(table.column("vacancy_id"), value_set=updates.column("vacancy_id"))
    hit = pc.is_valid(position)
    hits = pc.sum(hit).as_py() or 0
    if not hits:
        return table, schema.VACANCY_SKILLS.empty_table(), hit
    everyone = hits == table.num_rows  # new vacancies enriched on ingest: no old values to keep
    found = updates.take(position)  # a null row where a vacancy has no result
    isco_of = pa.array([job.isco.get(uri or "") for uri in updates.column("occupation_uri").to_pylist()], pa.string())
    now = pa.scalar(job.now, type=schema.VACANCIES.field("enriched_at").type)
    changed: dict[str, Any] = {name: found.column(name) for name in UPDATES.names[1:]}
    changed |= {
        "isco_code": isco_of.take(position),
        "engine_version": pa.scalar(versions[0]),
        "taxonomy_version": pa.scalar(versions[1]),
        "enriched_at": now,
    }
    for name, value in changed.items():
        index = table.schema.get_field_index(name)
        field_ = table.schema.field(index)
        if everyone:
            column = pa.repeat(value, table.num_rows) if isinstance(value, pa.Scalar) else value
            column = column.cast(field_.type)
        else:
            column = pc.if_else(hit, value, table.column(name))
        table = table.set_column(index, field_, column)

    # Each skill row's vacancy, found once (one hash lookup per skill row: there are ten per vacancy).
    row_of = pc.index_in(skills.column("vacancy_id"), value_set=table.column("vacancy_id"))
    mine = skills
    if row_of.null_count:
        mine, row_of = skills.filter(pc.is_valid(row_of)), row_of.drop_null()
    context = table.select(["region_code", "occupation_uri", "isco_code", "posted_date"]).take(row_of)
    n = mine.num_rows
    new_skills = pa.table(
        {
            **{name: mine.column(name) for name in mine.column_names},
            **{name: context.column(name) for name in context.column_names},
            "engine_version": pa.repeat(pa.scalar(versions[0]), n),
            "taxonomy_version": pa.repeat(pa.scalar(versions[1]), n),
        }
    )
    return table, schema.conform(new_skills, schema.VACANCY_SKILLS), hit


def items_of(table: pa.Table) -> list[Item]:
    """The (vacancy_id, title, description) of each vacancy of a table, as `enrich_chunk` takes them."""
    return list(
        zip(table.column("vacancy_id").to_pylist(), table.column("title").to_pylist(),
            table.column("description").fill_null("").to_pylist(), strict=True)
    )  # fmt: skip


def enrich_table(table: pa.Table, rows: Sequence[int] | None, job: Job) -> tuple[pa.Table, pa.Table]:
    """Enrich the vacancies at `rows` of a table (None: all); return them, enriched, and their skill rows,
    both in the store's schema. Where the table was prepared (a Dask worker), so only the results travel."""
    table = rows_of(table, rows)
    batch = enrich_chunk(items_of(table), job.engine_path)
    enriched, skills, _hit = apply_results(table, batch.vacancies, batch.skills, job)
    return enriched, skills


def rows_of(table: pa.Table, rows: Sequence[int] | None) -> pa.Table:
    """The table's rows at `rows` (None, or every row: the table itself, not a copy)."""
    return table if rows is None or len(rows) == table.num_rows else table.take(pa.array(rows, pa.int64()))


def chunks(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
