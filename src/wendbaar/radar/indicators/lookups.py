"""Names and collections of ESCO concepts, read from the skills app; falls back to codes when it is empty."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wendbaar.skills.models import Collection, Concept, Kind
from wendbaar.skills.services import cached_taxonomy_version, preferred_labels

# The ESCO collections the dashboard reports on, by the skills app's Collection.key.
DASHBOARD_COLLECTIONS = ("digital", "green", "transversal")


def skill_collections(keys: Iterable[str] = DASHBOARD_COLLECTIONS) -> dict[str, frozenset[str]]:
    """Return {collection key: skill URIs} from the skills app (empty when no collection is loaded).

    Read once per taxonomy version (an ESCO import bumps it): the members are thousands of rows, and
    every dashboard computed after a run lands asked for them again.
    """
    key = (cached_taxonomy_version(), tuple(keys))
    found = _collections.get(key)
    if found is None:
        _collections.clear()  # only the current version is worth keeping
        found = _collections[key] = _read_collections(key[1])
    return dict(found)


_collections: dict[tuple[str, tuple[str, ...]], dict[str, frozenset[str]]] = {}


def _read_collections(keys: tuple[str, ...]) -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}
    for collection in Collection.objects.filter(key__in=list(keys)).prefetch_related("members"):
        members = frozenset(collection.members.values_list("uri", flat=True))  # type: ignore[attr-defined]
        if members:
            result[collection.key] = members
    return result


class ForeignLabel(str):
    """A label in another language than the page's (ESCO has no Dutch one yet), e.g. English on a Dutch page.

    As text (CSV, chart labels, sentences) it is just the label. In a template it is marked the same way on
    every page: the text in `lang` for screen readers, then the language's name, e.g.
    `<span lang="en">Digital skills</span> <span class="lang-note">(Engels)</span>`.
    """

    lang: str

    def __new__(cls, text: str, lang: str) -> ForeignLabel:
        label = super().__new__(cls, text)
        label.lang = lang
        return label

    def __reduce__(self) -> tuple[Any, ...]:
        return (ForeignLabel, (str(self), self.lang))  # memoised pages are shared between processes (pickle)

    def __html__(self) -> str:
        from django.utils.html import format_html

        names = {"en": _("English"), "nl": _("Dutch")}
        return format_html(
            '<span lang="{}">{}</span> <span class="notice lang-note">({})</span>', self.lang, str(self),
            names.get(self.lang, self.lang),
        )  # fmt: skip


def _preferred_labels(concepts: QuerySet[Concept], key: str, language: str | None) -> dict[str, str]:
    """Return {concept.<key>: preferred label in the language} for the concepts (a `ForeignLabel` where the
    label is in another language, because the concept has none in this one)."""
    language = (language or get_language() or "nl")[:2]
    labels: dict[str, str] = {}
    for concept in concepts.prefetch_related(preferred_labels()):
        text, lang = concept.preferred_label(language)
        labels[getattr(concept, key)] = ForeignLabel(text, lang) if lang and lang != language else text
    return labels


def concept_labels(uris: Iterable[str], *, language: str | None = None) -> dict[str, str]:
    """Return {uri: preferred label} for the URIs the skills app knows; others are absent."""
    wanted = sorted({u for u in uris if u})
    if not wanted:
        return {}
    return _preferred_labels(Concept.objects.filter(uri__in=wanted), "uri", language)


def isco_labels(codes: Iterable[str], *, language: str | None = None) -> dict[str, str]:
    """Return {ISCO code: preferred label} for the ISCO groups the skills app knows."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    return _preferred_labels(Concept.objects.filter(kind=Kind.ISCO_GROUP, code__in=wanted), "code", language)


def fallback_label(key: str) -> str:
    """Return a readable name for a code or URI nobody has named: ISCO digits, or the URI's last part."""
    if key.isdigit():
        return f"ISCO {key}"
    return key.rstrip("/").rsplit("/", 1)[-1]


def label_map(keys: Iterable[str], *, kind: str) -> dict[str, str]:
    """Return {key: label} for ISCO codes (`kind="isco"`) or concept URIs, with fallbacks for unknown keys."""
    keys = list(keys)
    known = isco_labels(keys) if kind == "isco" else concept_labels(keys)
    return {key: known.get(key) or fallback_label(key) for key in keys}
