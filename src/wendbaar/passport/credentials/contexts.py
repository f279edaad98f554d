"""JSON-LD contexts served offline: pyld's bundled W3C contexts plus the OB 3.0 context from the spec files.

Canonicalisation never loads a context from the network: a document naming any other context is refused.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

OB_CONTEXT_URLS = ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",)
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"

_ob_context_path: list[Path] = []


def configure(ob_context_path: Path) -> None:
    """Say where the OB 3.0 context file is (the Django side calls this from settings)."""
    _ob_context_path[:] = [Path(ob_context_path)]
    loader.cache_clear()
    verbatim_keys.cache_clear()


@cache
def loader() -> FrozenDocumentLoader:
    """Return the document loader: the bundled W3C contexts and, if configured, the OB 3.0 context."""
    documents: dict[str, Any] = dict(BUNDLED_CONTEXTS)
    if _ob_context_path and _ob_context_path[0].exists():
        ob = json.loads(_ob_context_path[0].read_text(encoding="utf-8"))
        for url in OB_CONTEXT_URLS:
            documents[url] = ob
    return FrozenDocumentLoader(documents=documents)


def known(url: str) -> bool:
    return url in loader().documents


@cache
def verbatim_keys() -> frozenset[str]:
    """Keys whose string values are vocabulary terms, not data: `type`, and every `@type: @vocab` term of
    the served contexts (e.g. `proofPurpose`). The canonicalisation cache keeps these in a document's shape."""
    terms = {"type", "@type"}

    def walk(context: Any) -> None:
        if isinstance(context, list):
            for item in context:
                walk(item)
        elif isinstance(context, dict):
            for key, value in context.items():
                if isinstance(value, dict):
                    if value.get("@type") == "@vocab":
                        terms.add(key)
                    if "@context" in value:
                        walk(value["@context"])

    documents = loader().documents
    for url in list(documents):
        document = loader()(url, {})["document"]
        walk(document.get("@context") if isinstance(document, dict) else None)
    return frozenset(terms)
