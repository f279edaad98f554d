"""Every button in the templates wears the site's button style.

A bare <button> renders in the browser's default look: small, grey, and unlike every other action on
the page (seen on the lesson form of the provider's run page). The style is a class, so a template can
be checked without rendering it.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "wendbaar"
BUTTON = re.compile(r"<button\b[^>]*>")
STYLES = ("button", "link-button")


def unstyled_buttons(text: str) -> list[str]:
    found = []
    for tag in BUTTON.findall(text):
        classes = re.search(r'class="([^"]*)"', tag)
        if not classes or not set(classes.group(1).split()) & set(STYLES):
            found.append(tag)
    return found


def test_every_template_button_has_a_style() -> None:
    templates = sorted(SRC.glob("*/templates/**/*.html"))
    assert len(templates) > 50
    bare = {
        str(path.relative_to(SRC)): tags
        for path in templates
        if (tags := unstyled_buttons(path.read_text(encoding="utf-8")))
    }
    assert not bare, bare


def test_the_check_sees_a_bare_button() -> None:
    assert unstyled_buttons('<form><button type="submit">Go</button></form>') == ['<button type="submit">']
    assert unstyled_buttons('<button class="button button-secondary" name="a">') == []
    assert unstyled_buttons('<button class="inline">x</button>') == ['<button class="inline">']
