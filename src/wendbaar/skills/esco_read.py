"""Reading an ESCO download into memory: what the files say, validated row by row, merged by URI.

Sources are read oldest version first so a newer version's attributes and labels win. Nothing here
touches the database; `esco_apply` compares the result with the database and writes the difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wendbaar.skills.esco_files import (
    EscoFileError,
    Row,
    SourceFile,
    mapping_rows,
    rows,
    split_multi,
    version_key,
)
from wendbaar.skills.models import Kind, LabelKind, RelationType, ReuseLevel, SkillType, Status

ESCO_PREFIX = "http://data.europa.eu/esco/"
ISCO_PREFIX = "http://data.europa.eu/esco/isco/C"
MAX_LABEL = 400

PILLAR_KIND = {
    "occupations": Kind.OCCUPATION,
    "skills": Kind.SKILL,
    "isco_groups": Kind.ISCO_GROUP,
    "skill_groups": Kind.SKILL_GROUP,
}
PILLAR_COLUMNS = {
    "occupations": ("conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status", "iscoGroup", "code"),
    "skills": ("conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status", "skillType", "reuseLevel"),
    "isco_groups": ("conceptUri", "preferredLabel", "altLabels", "status", "code"),
    "skill_groups": ("conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status", "code"),
}
RELATION_COLUMNS = {
    "occupation_skills": ("occupationUri", "relationType", "skillUri"),
    "skill_skills": ("originalSkillUri", "relationType", "relatedSkillUri"),
    "broader_occ": ("conceptUri", "broaderUri"),
    "broader_skill": ("conceptUri", "broaderUri"),
}
KNOWN_STATUS = {Status.RELEASED.value, Status.OBSOLETE.value}
SKILL_TYPES = set(SkillType.values)
REUSE_LEVELS = set(ReuseLevel.values)
RELATION_TYPES = set(RelationType.values)


@dataclass
class ConceptData:
    kind: str
    version: str
    code: str = ""
    isco_code: str = ""
    skill_type: str = ""
    reuse_level: str = ""
    status: str = Status.RELEASED


@dataclass
class Incoming:
    """Everything the files say, keyed by URI."""

    concepts: dict[str, ConceptData] = field(default_factory=dict)
    labels: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=dict)
    supplements: dict[tuple[str, str], str] = field(default_factory=dict)
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)
    # (pillar, language) -> (version, URIs in that file)
    pillar_sets: dict[tuple[str, str], tuple[str, set[str]]] = field(default_factory=dict)
    # role -> (version, {(uri, uri): relation type}); a later version replaces an earlier one
    relations: dict[str, tuple[str, dict[tuple[str, str], str]]] = field(default_factory=dict)
    relation_lines: dict[str, str] = field(default_factory=dict)
    collections: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    versions: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    skipped_unknown: int = 0
    # kind of each URI named in a relation file, for placeholders (--allow-unknown-concepts)
    relation_kinds: dict[str, str] = field(default_factory=dict)


def read_sources(sources: list[SourceFile]) -> Incoming:
    """Read and validate all source files; raise EscoFileError at the first bad row."""
    data = Incoming()
    order = {"isco_groups": 0, "skill_groups": 1, "occupations": 2, "skills": 3}
    ordered = sorted(sources, key=lambda s: (version_key(s.version) if s.version else (999,), order.get(s.role, 9)))
    for source in ordered:
        data.files.append(source.name)
        if source.role in PILLAR_KIND:
            data.versions.add(source.version)
            _read_pillar(data, source)
        elif source.role in RELATION_COLUMNS:
            data.versions.add(source.version)
            _read_relations(data, source)
        elif source.role == "collection":
            _read_collection(data, source)
        elif source.role == "hierarchy":
            _read_hierarchy(data, source)
        elif source.role == "mapping":
            _read_mapping(data, source)
        elif source.role == "schemes":
            with rows(source, ("conceptSchemeUri", "preferredLabel")) as items:
                for _row in items:
                    pass
    return data


def _uri(source: SourceFile, row: Row, column: str, *, prefix: str = ESCO_PREFIX) -> str:
    value = row.values.get(column, "").strip()
    if not value:
        raise EscoFileError(source.name, row.line, column, "empty; a concept URI is required")
    if not value.startswith(prefix):
        raise EscoFileError(source.name, row.line, column, f"{value!r} is not an ESCO URI ({prefix}…)")
    return value


def _choice(source: SourceFile, row: Row, column: str, allowed: set[str]) -> str:
    value = row.values.get(column, "").strip()
    if value not in allowed:
        raise EscoFileError(
            source.name, row.line, column, f"unknown value {value!r} (expected one of {sorted(allowed)})"
        )
    return value


def _label(source: SourceFile, row: Row, column: str, text: str) -> str:
    if len(text) > MAX_LABEL:
        raise EscoFileError(source.name, row.line, column, f"label longer than {MAX_LABEL} characters")
    return text


def _read_pillar(data: Incoming, source: SourceFile) -> None:
    kind = PILLAR_KIND[source.role]
    lang = source.language
    seen: set[str] = set()
    with rows(source, PILLAR_COLUMNS[source.role]) as items:
        for row in items:
            uri = _uri(source, row, "conceptUri")
            if uri in seen:
                raise EscoFileError(source.name, row.line, "conceptUri", f"{uri} appears twice in this file")
            seen.add(uri)
            concept = data.concepts.get(uri)
            if concept is not None and concept.kind != kind:
                raise EscoFileError(source.name, row.line, "conceptUri", f"{uri} is already a {concept.kind}")
            if concept is None or version_key(source.version) >= version_key(concept.version):
                values = row.values
                data.concepts[uri] = ConceptData(
                    kind=kind,
                    version=source.version,
                    code=values.get("code", "").strip(),
                    isco_code=values.get("iscoGroup", "").strip(),
                    skill_type=_choice(source, row, "skillType", SKILL_TYPES) if kind == Kind.SKILL else "",
                    reuse_level=_choice(source, row, "reuseLevel", REUSE_LEVELS) if kind == Kind.SKILL else "",
                    status=_choice(source, row, "status", KNOWN_STATUS),
                )
            preferred = row.values["preferredLabel"].strip()
            labels: set[tuple[str, str]] = set()
            if preferred:
                labels.add((LabelKind.PREFERRED, _label(source, row, "preferredLabel", preferred)))
            for column, label_kind in (("altLabels", LabelKind.ALTERNATIVE), ("hiddenLabels", LabelKind.HIDDEN)):
                for text in split_multi(row.values.get(column, "")):
                    if text != preferred:
                        labels.add((label_kind, _label(source, row, column, text)))
            data.labels[(uri, lang)] = labels
            description = row.values.get("description", "").strip()
            if description:
                data.descriptions[(uri, lang)] = description
    if not seen:
        raise EscoFileError(source.name, 2, None, "the file has a header but no concepts")
    previous = data.pillar_sets.get((source.role, lang))
    if previous is None or version_key(source.version) >= version_key(previous[0]):
        data.pillar_sets[(source.role, lang)] = (source.version, seen)


def _read_relations(data: Incoming, source: SourceFile) -> None:
    columns = RELATION_COLUMNS[source.role]
    pairs: dict[tuple[str, str], str] = {}
    typed = "relationType" in columns
    with rows(source, columns) as items:
        for row in items:
            first = _uri(source, row, columns[0])
            second = _uri(source, row, columns[-1])
            pairs[(first, second)] = _choice(source, row, "relationType", RELATION_TYPES) if typed else ""
            kinds = _relation_kinds(source.role, row)
            data.relation_kinds.setdefault(first, kinds[0])
            data.relation_kinds.setdefault(second, kinds[1])
            # Remember one line per URI so a later "unknown URI" error can point at it.
            data.relation_lines.setdefault(first, f"{source.name}|{row.line}|{columns[0]}")
            data.relation_lines.setdefault(second, f"{source.name}|{row.line}|{columns[-1]}")
    previous = data.relations.get(source.role)
    if previous is None or version_key(source.version) >= version_key(previous[0]):
        data.relations[source.role] = (source.version, pairs)


TYPE_KINDS = {
    "Occupation": Kind.OCCUPATION,
    "ISCOGroup": Kind.ISCO_GROUP,
    "SkillGroup": Kind.SKILL_GROUP,
    "KnowledgeSkillCompetence": Kind.SKILL,
}


def _relation_kinds(role: str, row: Row) -> tuple[str, str]:
    if role == "occupation_skills":
        return Kind.OCCUPATION, Kind.SKILL
    if role == "skill_skills":
        return Kind.SKILL, Kind.SKILL
    default = Kind.OCCUPATION if role == "broader_occ" else Kind.SKILL
    return (
        TYPE_KINDS.get(row.values.get("conceptType", ""), default),
        TYPE_KINDS.get(row.values.get("broaderType", ""), default),
    )


def _read_collection(data: Incoming, source: SourceFile) -> None:
    assert source.collection is not None
    key, _name = source.collection
    members: set[str] = set(data.collections.get(key, ("", set()))[1])
    with rows(source, ("conceptUri",)) as items:
        for row in items:
            members.add(_uri(source, row, "conceptUri"))
    data.collections[key] = (source.version, members)


def _read_hierarchy(data: Incoming, source: SourceFile) -> None:
    """Hierarchy files name the top concepts; their terms fill in preferred labels nothing else gives."""
    columns = tuple(f"Level {n} {what}" for n in range(4) for what in ("URI", "preferred term"))
    with rows(source, columns, ragged=True) as items:
        for row in items:
            for level in range(4):
                uri = row.values.get(f"Level {level} URI", "").strip()
                term = row.values.get(f"Level {level} preferred term", "").strip()
                if uri and term:
                    _uri(source, row, f"Level {level} URI")
                    data.supplements.setdefault((uri, source.language), _label(source, row, "preferred term", term))


def _read_mapping(data: Incoming, source: SourceFile) -> None:
    """An ESCO crosswalk: column 'Classification 1 PrefLabel' is ESCO's own label in the stated language."""
    meta, items = mapping_rows(source)
    lang = meta.get("Classification 1 Language", "").strip().lower()
    if len(lang) != 2:
        raise EscoFileError(source.name, None, "Classification 1 Language", f"unusable language {lang!r}")
    for row in items:
        url = row.values.get("Classification 1 URL", "").strip()
        ident = row.values.get("Classification 1 URI", "").strip()
        uri = url if url.startswith(ESCO_PREFIX) else (ESCO_PREFIX + "skill/" + ident if ident else "")
        if not uri:
            raise EscoFileError(source.name, row.line, "Classification 1 URI", "empty; an ESCO concept is required")
        label = row.values.get("Classification 1 PrefLabel", "").strip()
        if label:
            data.supplements.setdefault((uri, lang), _label(source, row, "Classification 1 PrefLabel", label))
