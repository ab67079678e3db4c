"""No internal words on a person's screen (issue 11): every registered message, in both
languages, is free of rule codes (R1…R13), database ids and snake_case field names, and
uses no bare rule letter that the words beside it do not explain."""

from __future__ import annotations

import re
from string import Formatter

from app.i18n import CATALOG, LANGUAGES

RULE_CODE = re.compile(r"(?<![A-Za-z0-9])R\d")
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# A letter from the rules' formulas (S seats, C candidates, M members…) alone is a code, not a word.
NEVER_ALONE = re.compile(r"(?<![A-Za-z/])[SCMNKVTQ](?![A-Za-z/])")
# E, P, I and R may stand beside the words that name them ("应到 E", "ballots returned (R)"),
# never as the only name of the figure ("not counted in P", "waiting for R").
EXPLAINED = re.compile(r"(?<![A-Za-z/])[EPIR](?![A-Za-z/])")
BARE_AFTER = re.compile(r"\b(?:in|for|of|to|from|than|and|or|as|is|by|enter|Enter)\s+$|[：:，,；;]\s*$|^\s*$")
# Parameters whose values are stored codes (draft, open, teller…), not words.
CODE_VALUES = {"state", "user_role"}


def _fields(text: str) -> list[str]:
    return [name for _literal, name, _spec, _conv in Formatter().parse(text) if name]


def _words(text: str) -> str:
    """The text a person reads, placeholders taken out."""
    return "".join(literal for literal, _n, _s, _c in Formatter().parse(text))


def _problems(key: str, language: str, text: str) -> list[str]:
    found = []
    words = _words(text)
    if RULE_CODE.search(words):
        found.append("rule code")
    if any(name == "id" or name.endswith("_id") for name in _fields(text)):
        found.append("database id")
    if any(name in CODE_VALUES for name in _fields(text)):
        found.append("a stored code filled in")
    if SNAKE_CASE.search(words):
        found.append(f"field name {SNAKE_CASE.search(words).group(0)}")
    if NEVER_ALONE.search(words):
        found.append(f"bare letter {NEVER_ALONE.search(words).group(0)}")
    for letter in EXPLAINED.finditer(words):
        before = words[:letter.start()]
        inside_brackets = before.endswith(("(", "（")) and words[letter.end():].startswith((")", "）"))
        if not inside_brackets and BARE_AFTER.search(before):
            found.append(f"unexplained letter {letter.group(0)}")
    return [f"{key} [{language}]: {problem}: {text}" for problem in found]


def test_no_message_shows_rule_codes_ids_field_names_or_bare_letters(app):
    assert len(CATALOG) > 300  # every area's messages are registered at start-up
    problems = [problem for key, texts in sorted(CATALOG.items()) for language in LANGUAGES
                for problem in _problems(key, language, texts[language])]
    assert problems == []


def test_the_checks_catch_what_they_are_for():
    assert _problems("k", "en", "Contest {contest_id} not found.")
    assert _problems("k", "zh-CN", "找不到编号为 {id} 的轮次")
    assert _problems("k", "en", "needs candidates (R7).")
    assert _problems("k", "en", "See setup_contest_not_found")
    assert _problems("k", "zh-CN", "应选名额 S")
    assert _problems("k", "en", "waiting for R")
    assert _problems("k", "en", "Enter I by hand")
    assert not _problems("k", "zh-CN", "应到会有选举权人数 E")
    assert not _problems("k", "en", "Ballots returned (R) by {by_count}")
