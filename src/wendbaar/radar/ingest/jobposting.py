"""schema.org JobPosting (JSON-LD) to the documented vacancy fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _is_posting(node: Any) -> bool:
    kind = node.get("@type") if isinstance(node, dict) else None
    return kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind)


def postings_in(document: Any) -> Iterator[dict[str, Any]]:
    """Yield every JobPosting object in a JSON-LD document (top level, list, or @graph)."""
    if isinstance(document, list):
        for item in document:
            yield from postings_in(item)
    elif isinstance(document, dict):
        if _is_posting(document):
            yield document
        elif "@graph" in document:
            yield from postings_in(document["@graph"])


def _text(value: Any) -> str:
    """The plain value of a schema.org property that may be a string, number, object or list."""
    if value is None:
        return ""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    if isinstance(value, dict):
        for key in ("value", "name", "credentialCategory", "@id", "url"):
            if key in value:
                return _text(value[key])
        return ""
    return str(value)


def _address(posting: dict[str, Any]) -> dict[str, Any]:
    location = posting.get("jobLocation")
    if isinstance(location, list):
        location = location[0] if location else None
    if not isinstance(location, dict):
        return {}
    address = location.get("address")
    if isinstance(address, list):
        address = address[0] if address else None
    return address if isinstance(address, dict) else {}


def _kvk(organisation: Any) -> str:
    if not isinstance(organisation, dict):
        return ""
    for key in ("identifier", "taxID", "leiCode"):
        value = organisation.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and str(item.get("propertyID", "")).lower() in {"kvk", "kvk-nummer", "coc"}:
                return _text(item)
            if key == "identifier" and isinstance(item, str):
                return item
    return ""


def record_from_posting(posting: dict[str, Any]) -> dict[str, Any]:
    """Return the documented fields of one JobPosting."""
    organisation = posting.get("hiringOrganization")
    address = _address(posting)
    hours = posting.get("workHours") or ""
    return {
        "id": _text(posting.get("identifier")) or _text(posting.get("@id")),
        "title": _text(posting.get("title")),
        "description": _text(posting.get("description")),
        "employer_name": _text(organisation),
        "kvk": _kvk(organisation),
        "municipality": _text(address.get("addressLocality")),
        "postcode": _text(address.get("postalCode")),
        "date_posted": _text(posting.get("datePosted")),
        "valid_through": _text(posting.get("validThrough")),
        # workHours is free text ("40 uur per week"); a bare number is taken, anything else left to validation.
        "hours_per_week": _text(hours),
        "education_level": _text(posting.get("educationRequirements")),
        "source": "",
        "url": _text(posting.get("url")),
    }
