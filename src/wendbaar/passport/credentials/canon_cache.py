"""Fast RDF canonicalisation for documents of a shape seen before (the credentials we issue and verify).

JSON-LD expansion with the VC 2.0 and OB 3.0 contexts costs ~10 ms per document in pyld, most of it
context processing that is the same for every credential of the same shape. So: a document's *shape* is
its JSON with every string value replaced by a slot (keys, `@context`, types, numbers and booleans kept
as they are). The first time a shape is seen, a template with placeholder IRIs in the slots goes through
pyld once (expansion and conversion to RDF); every later document of that shape only substitutes its
strings into the template's quads and runs the RDFC-1.0 (URDNA2015) labelling in pyld (~0.5 ms).

Safety: a shape is used only if every slot came out of expansion untouched, either as a literal value
or as a subject/object IRI, and the first document of the shape gives exactly pyld's full result; a
string that would not stay itself in an IRI position (relative, a blank node id) falls back to pyld.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015

SLOT = "urn:x-wendbaar-slot:"
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
MAX_SHAPES = 256

Shape = Any
_lock = threading.Lock()


class _Template:
    def __init__(self, dataset: dict[str, list[dict[str, Any]]], slots: dict[int, str]) -> None:
        self.dataset = dataset
        self.slots = slots  # slot number -> "literal" | "iri"
        self.trusted = False


_templates: dict[Shape, _Template | None] = {}


def _shape(value: Any, verbatim: frozenset[str], strings: list[str], key: str = "") -> Any:
    """Return a hashable shape of `value`, collecting its slot strings in order."""
    if isinstance(value, dict):
        return tuple(
            (k, repr(v) if k in verbatim or k == "@context" else _shape(v, verbatim, strings, k))
            for k, v in value.items()
        )
    if isinstance(value, list):
        return ("[", *(_shape(v, verbatim, strings, key) for v in value))
    if isinstance(value, str):
        strings.append(value)
        return "$"
    return repr(value)


def _template_document(value: Any, verbatim: frozenset[str], counter: list[int]) -> Any:
    if isinstance(value, dict):
        return {
            k: v if k in verbatim or k == "@context" else _template_document(v, verbatim, counter)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_template_document(v, verbatim, counter) for v in value]
    if isinstance(value, str):
        counter[0] += 1
        return f"{SLOT}{counter[0] - 1}"
    return value


def _slot_of(text: str) -> int | None:
    if text.startswith(SLOT):
        try:
            return int(text[len(SLOT) :])
        except ValueError:
            return None
    return None


def _build(document: dict[str, Any], verbatim: frozenset[str], options: dict[str, Any]) -> _Template | None:
    template = _template_document(document, verbatim, [0])
    rdf_options = {k: v for k, v in options.items() if k not in {"format", "algorithm"}}
    try:
        dataset = jsonld.to_rdf(template, rdf_options)
    except jsonld.JsonLdError:
        return None
    slots: dict[int, str] = {}
    for triples in dataset.values():
        for triple in triples:
            for part in ("predicate",):
                if SLOT in triple[part]["value"]:
                    return None
            obj = triple["object"]
            if SLOT in obj.get("datatype", "") or SLOT in obj.get("language", ""):
                return None
            for component in (triple["subject"], obj):
                value = component["value"]
                if SLOT not in value:
                    continue
                number = _slot_of(value)
                if number is None:
                    return None  # a slot was changed by expansion (joined, resolved): not substitutable
                role = "iri" if component["type"] == "IRI" else "literal" if component["type"] == "literal" else ""
                if not role or slots.setdefault(number, role) != role:
                    return None
    return _Template(dataset, slots)


def _substituted(template: _Template, strings: list[str]) -> dict[str, list[dict[str, Any]]] | None:
    for number, role in template.slots.items():
        if role == "iri" and (not ABSOLUTE_IRI.match(strings[number]) or strings[number].startswith("_:")):
            return None
    dataset: dict[str, list[dict[str, Any]]] = {}
    for graph, triples in template.dataset.items():
        out = []
        for triple in triples:
            new: dict[str, Any] = {}
            for part, component in triple.items():
                slot = _slot_of(component["value"])
                new[part] = {**component, "value": strings[slot]} if slot is not None else dict(component)
            out.append(new)
        dataset[graph] = out
    return dataset


def _deduplicated(dataset: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """An RDF dataset is a set: two slots with the same value can make the same triple twice."""
    out = {}
    for graph, triples in dataset.items():
        seen = set()
        kept = []
        for triple in triples:
            key = jsonld.JsonLdProcessor.to_nquad(triple, None)
            if key not in seen:
                seen.add(key)
                kept.append(triple)
        out[graph] = kept
    return out


def canonicalize(
    document: dict[str, Any], *, options: dict[str, Any], verbatim: frozenset[str], full: Callable[[], str]
) -> str:
    """Return the RDFC-1.0 N-Quads of `document`, through a cached template when its shape allows it.

    `full` computes the result with pyld end to end; it is used for a new shape (and checked against
    the template's result) and whenever the template cannot be used.
    """
    strings: list[str] = []
    shape = _shape(document, verbatim, strings)
    if shape not in _templates:
        result = full()  # first: a document pyld refuses is refused the same way
        built = _build(document, verbatim, options)
        if built is not None:
            fast = _run(built, strings)
            built.trusted = fast == result
        with _lock:
            if len(_templates) >= MAX_SHAPES:
                _templates.clear()
            _templates[shape] = built if built is not None and built.trusted else None
        return result
    template = _templates[shape]
    if template is None:
        return full()
    fast = _run(template, strings)
    return fast if fast is not None else full()


def _run(template: _Template, strings: list[str]) -> str | None:
    dataset = _substituted(template, strings)
    if dataset is None:
        return None
    return str(URDNA2015().main(copy.copy(_deduplicated(dataset)), {"format": "application/n-quads"}))


def clear() -> None:
    """Forget every template (tests; a change of contexts)."""
    with _lock:
        _templates.clear()
