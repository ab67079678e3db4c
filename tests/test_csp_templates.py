"""A quick guard beside the browser test (tests/test_csp_browser.py): no template carries
an inline script, inline event handler or inline style, and no page script writes markup
or style attributes that the CSP (`script-src 'self'; style-src 'self'`) would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parent.parent / "app" / "web"
TEMPLATES = sorted((WEB / "templates").glob("*.html"))
SCRIPTS = sorted(path for path in (WEB / "static").glob("*.js"))

INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "inline style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}
IN_SCRIPTS = {
    "style attribute set": re.compile(r"setAttribute\(\s*[\"']style"),
    "markup written": re.compile(r"(innerHTML|outerHTML)\s*=(?!\s*[\"']{2}\s*;)"
                                 r"|insertAdjacentHTML|document\.write"),
    "code from text": re.compile(r"\beval\(|new Function\(|setTimeout\(\s*[\"'`]"),
}


def test_the_guard_sees_what_it_should():
    assert INLINE["inline script"].search('<script>alert(1)</script>')
    assert not INLINE["inline script"].search('<script src="/static/app.js"></script>')
    assert not INLINE["inline script"].search('<script id="t" type="application/json">{}</script>')
    assert INLINE["style attribute"].search('<div style="color:red">')
    assert INLINE["event handler attribute"].search('<button onclick="x()">')
    assert IN_SCRIPTS["markup written"].search('box.innerHTML = `<b>${x}</b>`;')
    assert not IN_SCRIPTS["markup written"].search('box.innerHTML = "";')


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_template_has_inline_code_or_style(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [f"{what}: {match.group(0)!r}" for what, pattern in INLINE.items()
             for match in pattern.finditer(text)]
    assert found == []


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_no_page_script_writes_markup_or_inline_style(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [f"{what}: {match.group(0)!r}" for what, pattern in IN_SCRIPTS.items()
             for match in pattern.finditer(text)]
    assert found == []
