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

import hashlib
import re
import threading
from collections.abc import Callable
from typing import Any

from pyld import jsonld

SLOT = "urn:x-wendbaar-slot:"
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
MAX_SHAPES = 256

Shape = Any
_lock = threading.Lock()


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# A term of a compiled quad: ("c", text) a constant N-Quads term, ("b", label) a blank node,
# ("i", slot) an IRI from a slot, ("l", slot, suffix) a literal from a slot with its datatype/language suffix.
Term = tuple[Any, ...]


class _Template:
    """A shape's quads as indexes into a row of cells: the template's constants, then its slots rendered.

    A quad is (subject text, subject blank node, predicate, object text, object blank node), each
    position an index into the cells ('' for nothing), so filling a template is one comprehension.
    """

    def __init__(self, quads: list[tuple[Term, str, Term]], slots: dict[int, str]) -> None:
        self.slots = slots  # slot number -> "literal" | "iri"
        self.trusted = False
        self.constants: list[str] = [""]
        self.uses: list[tuple[int, str]] = []  # (slot, literal suffix or None for an IRI) per slot cell
        constant_at: dict[str, int] = {"": 0}
        use_at: dict[tuple[int, str], int] = {}

        def constant(text: str) -> int:
            if text not in constant_at:
                constant_at[text] = len(self.constants)
                self.constants.append(text)
            return constant_at[text]

        def use(slot: int, suffix: str) -> int:
            if (slot, suffix) not in use_at:
                use_at[(slot, suffix)] = len(self.uses)
                self.uses.append((slot, suffix))
            return -1 - use_at[(slot, suffix)]  # resolved once the constants are all known

        def cells(term: Term) -> tuple[int, int]:
            kind = term[0]
            if kind == "c":
                return constant(term[1]), 0
            if kind == "b":
                return 0, constant(term[1])
            return use(term[1], "" if kind == "i" else term[2]), 0

        raw = [(*cells(subject), predicate, *cells(obj)) for subject, predicate, obj in quads]
        base = len(self.constants)

        def at(index: int) -> int:
            return base - 1 - index if index < 0 else index

        self.quads: list[tuple[int, int, str, int, int]] = [
            (at(s_text), s_node, predicate, at(o_text), o_node) for s_text, s_node, predicate, o_text, o_node in raw
        ]


def _escape(value: str) -> str:
    """N-Quads string escaping as RDFC-1.0 (and pyld) serialise it."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r").replace('"', '\\"')
    )


def _literal_suffix(component: dict[str, Any]) -> str:
    if component.get("datatype") == RDF_LANGSTRING:
        return "@" + component["language"] if component.get("language") else ""
    if component.get("datatype", XSD_STRING) != XSD_STRING:
        return "^^<" + component["datatype"] + ">"
    return ""


def _compile_term(component: dict[str, Any]) -> Term | None:
    value = component["value"]
    kind = component["type"]
    slot = _slot_of(value)
    if kind == "blank node":
        return ("b", value)
    if kind == "IRI":
        return ("i", slot) if slot is not None else ("c", "<" + value + ">")
    suffix = _literal_suffix(component)
    if slot is not None:
        return ("l", slot, suffix)
    return ("c", '"' + _escape(value) + '"' + suffix)


_templates: dict[Shape, _Template | None] = {}


# Tokens of a shape that cannot be mistaken for a key or an atom's repr (both strings).
_DICT, _LIST, _END, _STRING = 0, 1, 2, 3


def _shape(value: Any, verbatim: frozenset[str]) -> tuple[tuple[Any, ...], list[str]]:
    """Return a hashable shape of `value` (a flat token tuple) and its slot strings in order."""
    tokens: list[Any] = []
    strings: list[str] = []
    _walk(value, verbatim, tokens, strings)
    return tuple(tokens), strings


def _walk(value: Any, verbatim: frozenset[str], tokens: list[Any], strings: list[str]) -> None:
    # Strings (most values) are handled in the loops, without a call each: this walk runs per document.
    if isinstance(value, str):
        strings.append(value)
        tokens.append(_STRING)
    elif isinstance(value, dict):
        tokens.append(_DICT)
        for key, item in value.items():
            tokens.append(key)
            if key in verbatim or key == "@context":
                tokens.append(repr(item))
            elif type(item) is str:
                strings.append(item)
                tokens.append(_STRING)
            else:
                _walk(item, verbatim, tokens, strings)
        tokens.append(_END)
    elif isinstance(value, list):
        tokens.append(_LIST)
        for item in value:
            if type(item) is str:
                strings.append(item)
                tokens.append(_STRING)
            else:
                _walk(item, verbatim, tokens, strings)
        tokens.append(_END)
    else:
        tokens.append(repr(value))


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
    if set(dataset) != {"@default"}:
        return None  # named graphs: leave to pyld
    quads = []
    for triple in dataset["@default"]:
        subject, obj = _compile_term(triple["subject"]), _compile_term(triple["object"])
        if subject is None or obj is None or triple["predicate"]["type"] != "IRI":
            return None
        quads.append((subject, "<" + triple["predicate"]["value"] + ">", obj))
    return _Template(quads, slots)


def canonicalize(
    document: dict[str, Any], *, options: dict[str, Any], verbatim: frozenset[str], full: Callable[[], str]
) -> str:
    """Return the RDFC-1.0 N-Quads of `document`, through a cached template when its shape allows it.

    `full` computes the result with pyld end to end; it is used for a new shape (and checked against
    the template's result) and whenever the template cannot be used.
    """
    shape, strings = _shape(document, verbatim)
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


Quad = tuple[str, str, str, str, str]  # (subject text, subject blank node, predicate, object text, object blank node)


def _run(template: _Template, strings: list[str]) -> str | None:
    """RDFC-1.0 for the common case: every blank node has a unique first-degree hash (else None: use pyld)."""
    for number, role in template.slots.items():
        if role == "iri":
            value = strings[number]
            if not ABSOLUTE_IRI.match(value) or value.startswith("_:"):
                return None
    cells = template.constants + [
        '"' + _escape(strings[slot]) + '"' + suffix if template.slots[slot] == "literal" else "<" + strings[slot] + ">"
        for slot, suffix in template.uses
    ]
    # dict.fromkeys: a quad that two slots with equal values make twice is one quad (RDF is a set).
    quads: list[Quad] = list(
        dict.fromkeys([(cells[a], cells[b], p, cells[c], cells[d]) for a, b, p, c, d in template.quads])
    )
    by_node: dict[str, list[Quad]] = {}
    for quad in quads:
        if quad[1]:
            by_node.setdefault(quad[1], []).append(quad)
        if quad[4]:  # a quad from a node to itself counts twice, as in pyld's blank node to quads map
            by_node.setdefault(quad[4], []).append(quad)
    hashes: dict[str, str] = {}
    sha256 = hashlib.sha256
    for node, related in by_node.items():
        lines = sorted(
            f"{'_:a' if s_node == node else '_:z' if s_node else s_text} {predicate} "
            f"{'_:a' if o_node == node else '_:z' if o_node else o_text} .\n"
            for s_text, s_node, predicate, o_text, o_node in related
        )
        hashes[node] = sha256("".join(lines).encode()).hexdigest()
    if len(set(hashes.values())) != len(hashes):
        return None
    labels = {node: f"_:c14n{i}" for i, node in enumerate(sorted(hashes, key=hashes.__getitem__))}
    return "".join(
        sorted(
            [
                f"{labels[s_node] if s_node else s_text} {predicate} {labels[o_node] if o_node else o_text} .\n"
                for s_text, s_node, predicate, o_text, o_node in quads
            ]
        )
    )


def clear() -> None:
    """Forget every template (tests; a change of contexts)."""
    with _lock:
        _templates.clear()
