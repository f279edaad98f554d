"""Names and collections of ESCO concepts, read from the skills app; falls back to codes when it is empty."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language

# The ESCO collections the dashboard reports on, by the skills app's Collection.key.
DASHBOARD_COLLECTIONS = ("digital", "green", "transversal")


def skill_collections(keys: Iterable[str] = DASHBOARD_COLLECTIONS) -> dict[str, frozenset[str]]:
    """Return {collection key: skill URIs} from the skills app (empty when no collection is loaded)."""
    try:
        from wendbaar.skills.models import Collection
    except ImportError:  # the skills app is optional for the radar
        return {}
    result: dict[str, frozenset[str]] = {}
    for collection in Collection.objects.filter(key__in=list(keys)).prefetch_related("members"):
        members = frozenset(collection.members.values_list("uri", flat=True))  # type: ignore[attr-defined]
        if members:
            result[collection.key] = members
    return result


def concept_labels(uris: Iterable[str], *, language: str | None = None) -> dict[str, str]:
    """Return {uri: preferred label} for the URIs the skills app knows; others are absent."""
    wanted = sorted({u for u in uris if u})
    if not wanted:
        return {}
    try:
        from wendbaar.skills.models import Concept
    except ImportError:
        return {}
    language = (language or get_language() or "nl")[:2]
    labels: dict[str, str] = {}
    for concept in Concept.objects.filter(uri__in=wanted).prefetch_related("labels"):
        text, _lang = concept.preferred_label(language)
        labels[concept.uri] = text
    return labels


def isco_labels(codes: Iterable[str], *, language: str | None = None) -> dict[str, str]:
    """Return {ISCO code: preferred label} for the ISCO groups the skills app knows."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    try:
        from wendbaar.skills.models import Concept, Kind
    except ImportError:
        return {}
    language = (language or get_language() or "nl")[:2]
    labels: dict[str, str] = {}
    for concept in Concept.objects.filter(kind=Kind.ISCO_GROUP, code__in=wanted).prefetch_related("labels"):
        text, _lang = concept.preferred_label(language)
        labels[concept.code] = text
    return labels


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
