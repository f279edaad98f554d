"""The accessibility crawl's parts: which pages to visit as whom, and what to check on each.

Pages come from the URL resolver (tests/web/role_matrix.py) with the apps' sample factories
(tests/<app>/sample_urls.py), so a page is crawled the day it is routed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page

from tests.quality.readability import score
from tests.web.role_matrix import ROLES, Endpoint, Sample, endpoints, expected_allowed, sample_factories


@dataclass
class Visit:
    name: str
    url: str
    roles: list[str]


def visits(world: Any) -> tuple[list[Visit], list[str]]:
    """Return every routed page with the roles that may see it, and the pages that lack a sample."""
    factories = sample_factories()
    found, missing = [], []
    for endpoint in [e for e in endpoints() if not e.is_api]:
        sample = Sample({})
        if endpoint.params:
            factory = factories.get(endpoint.name)
            if factory is None:
                missing.append(endpoint.id)
                continue
            made = factory(world)
            sample = made if isinstance(made, Sample) else Sample(made)
        url = reverse(endpoint.name, kwargs=sample.kwargs) if endpoint.name else "/" + endpoint.route
        roles = [r for r in ROLES if _may_see(endpoint, r) and r not in sample.out_of_scope]
        found.append(Visit(endpoint.id, url, roles))
    return found, missing


def _may_see(endpoint: Endpoint, role: str) -> bool:
    return expected_allowed(endpoint.view_class, role)


# Elements a keyboard user can reach with Tab (visible ones only are counted, in the page script).
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)

# What has the focus after each Tab: a keyup listener (capturing, on the window) notes the focused element
# when the key comes up, that is after the browser moved the focus and the page's own focus handlers ran,
# as a look after each press would; the walk reads the notes in batches instead of once per press.
_RECORDER_SCRIPT = """() => {
  const notes = [];
  window.__wendbaarFocusNotes = notes;
  window.addEventListener('keyup', (event) => {
    if (event.key !== 'Tab') return;
    const el = document.activeElement;
    if (!el || el === document.body) { notes.push(null); return; }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    const r = el.getBoundingClientRect();
    const path = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      path.unshift(n.tagName + ':' + Array.prototype.indexOf.call(n.parentElement ? n.parentElement.children : [], n));
    }
    const text = (el.innerText || el.value || el.name || '').slice(0, 40);
    notes.push({id: path.join('/'), tag: el.tagName.toLowerCase(), text: text,
                visible: outline || shadow, width: r.width, height: r.height});
  }, true);
}"""
_TAKE_NOTES = "() => window.__wendbaarFocusNotes.splice(0)"

# A radio group is one tab stop (arrow keys move inside it), so it counts once.
_COUNT_SCRIPT = """(selector) => {
  const radios = new Set();
  return Array.from(document.querySelectorAll(selector)).filter(el => {
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    if (!(r.width > 0 && r.height > 0 && s.visibility !== 'hidden')) return false;
    if (el.closest('details:not([open]) > :not(summary)')) return false;
    if (el.type === 'radio') { if (radios.has(el.name)) return false; radios.add(el.name); }
    return true;
  }).length;
}"""


@dataclass
class KeyboardReport:
    reachable: int
    reached: int
    invisible_focus: list[str] = field(default_factory=list)
    positive_tabindex: int = 0


def keyboard_walk(page: Page) -> KeyboardReport:
    """Tab through the page from the top: every stop must show its focus; no trap keeps Tab from moving on."""
    reachable = page.evaluate(_COUNT_SCRIPT, FOCUSABLE)
    positive = page.evaluate(
        "() => Array.from(document.querySelectorAll('[tabindex]')).filter(el => el.tabIndex > 0).length"
    )
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.evaluate(_RECORDER_SCRIPT)
    seen: dict[str, dict[str, Any]] = {}
    first: str | None = None
    # Tab until focus comes round to the first stop again. A date or time field takes one Tab per part
    # (day, month, year), so the number of presses is not the number of stops; the bound only ends a trap.
    # The presses go in batches of one round (a stop or two more than the page has); the notes are read
    # after each batch, and those after the focus came round are not looked at.
    presses = 4 * reachable + 10
    done = False
    while presses > 0 and not done:
        batch = min(presses, reachable + 2)
        for _ in range(batch):
            page.keyboard.press("Tab")
        presses -= batch
        for info in page.evaluate(_TAKE_NOTES):
            if info is None:
                continue
            if info["id"] == first and len(seen) > 1:
                done = True
                break
            first = first or info["id"]
            seen.setdefault(info["id"], info)
    invisible = [f"{i['tag']} '{i['text']}'" for i in seen.values() if not i["visible"] and i["width"] > 0]
    return KeyboardReport(reachable=reachable, reached=len(seen), invisible_focus=invisible, positive_tabindex=positive)


def forms_without_csrf(page: Page) -> int:
    """Count POST forms without Django's CSRF token."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('form')).filter(f => (f.method || '').toLowerCase() === 'post'
              && !f.querySelector('input[name=csrfmiddlewaretoken]')).length"""
    )


# The product's own words: headings, paragraphs, list items, field labels, descriptions. Each element
# counts once (a nested list or paragraph is scored on its own). Names are left out, as the catalogue's
# readability test leaves them out: the label of one choice in a group of checkboxes or radio buttons
# ("Energievoorziening", an SBI sector), and whatever a template marks `data-names` (ESCO labels, titles
# and texts that people entered): no writer of ours can shorten them.
_PROSE = "main h1, main h2, main h3, main p, main li, main label, main dd"
_TEXT_SCRIPT = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => !el.closest('[data-names]'))
  .filter(el => {
    if (el.tagName !== 'LABEL') return true;
    const input = el.querySelector('input') || (el.htmlFor && document.getElementById(el.htmlFor));
    if (!input || !['checkbox', 'radio'].includes(input.type)) return true;
    return document.querySelectorAll(`input[name="${input.name}"]`).length < 2; })
  .map(el => { const copy = el.cloneNode(true);
               const inner = selector.replaceAll('main ', '') + ', [data-names]';
               copy.querySelectorAll(inner).forEach(nested => nested.remove());
               return copy.textContent.replace(/\\s+/g, ' ').trim(); })
  .filter(t => t.length > 0)"""


def readability_of(page: Page) -> dict[str, float]:
    """Score the main text of the page (headings, paragraphs, list items, table cells, labels)."""
    texts = page.evaluate(_TEXT_SCRIPT, _PROSE)
    prose = [t if re.search(r"[.!?:]$", t) else t + "." for t in texts]
    result = score(prose)
    return {
        "flesch_douma": round(result.flesch_douma, 1),
        "words_per_sentence": round(result.words_per_sentence, 1),
        "syllables_per_word": round(result.syllables_per_word, 2),
        "words": result.words,
    }
