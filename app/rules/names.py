"""R9 Order of names (按姓氏笔画为序), as amended 2026-12 (RULES.md).

1. The surnames are compared first; the surname is the first character of the name
   (RULES.md says exactly that, so 欧阳 is compared as 欧 and then by length and 阳).
2. Same surname → the name with fewer characters comes first (单名在前: 李强, 李干杰).
3. Same surname and length → the rest is compared character by character.
4. Characters: fewer strokes first; equal counts → the stroke sequences stroke by
   stroke in the order 横 竖 撇 点 折. Two different characters with the very same
   sequence (土 and 士) are not ordered by the rule; we order them by code point so
   that the order is total and the same on every machine.

Stroke data comes from `data/strokes.tsv`, generated from a maintained source by
`scripts/build_stroke_data.py`, with the checked corrections of
`data/stroke_corrections.tsv` applied on top (each with its reason). Characters the data
lacks sort after every known character (by code point among themselves) and are
reported by `unknown_characters`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_DATA = Path(__file__).with_name("data") / "strokes.tsv"
_CORRECTIONS = Path(__file__).with_name("data") / "stroke_corrections.tsv"
STROKE_NAMES = {"1": "横", "2": "竖", "3": "撇", "4": "点", "5": "折"}


@lru_cache(maxsize=1)
def stroke_table() -> dict[str, str]:
    """Character → its strokes as a string of classes 1–5 (横竖撇点折), in writing order."""
    table: dict[str, str] = {}
    with _DATA.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            char, strokes = line.rstrip("\n").split("\t")
            table[char] = strokes
    table.update(stroke_corrections())
    return table


@lru_cache(maxsize=1)
def stroke_corrections() -> dict[str, str]:
    """Character → corrected strokes, where the generated table was found wrong (R9: settled
    by independent sources and the character's components; the reason is in the file)."""
    corrections: dict[str, str] = {}
    with _CORRECTIONS.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            char, strokes, _reason = line.rstrip("\n").split("\t", 2)
            corrections[char] = strokes
    return corrections


def strokes_of(char: str) -> str | None:
    """The stroke classes of one character, or None when the data lacks it."""
    return stroke_table().get(char)


def normalize_name(name: str) -> str:
    """A name with all white space removed (including the ideographic space U+3000).

    R3 compares write-in names in this form; R9 sorts in this form too.
    """
    return "".join(name.split())


CharKey = tuple[int, int, str, int]
NameKey = tuple[tuple[CharKey, ...], int, tuple[CharKey, ...]]


def _char_key(char: str, table: dict[str, str]) -> CharKey:
    """(known?, stroke count, stroke sequence, code point) of one character.

    Sequences are strings of the digits 1–5, so comparing them as strings compares
    them stroke by stroke in the order 横竖撇点折. Unknown characters get
    (1, 0, "", code point) so they sort after every known character.
    """
    strokes = table.get(char)
    if strokes is None:
        return (1, 0, "", ord(char))
    return (0, len(strokes), strokes, ord(char))


@lru_cache(maxsize=65536)
def name_order_key(name: str) -> NameKey:
    """R9 sort key: (surname, length, rest), each character by `_char_key`.

    Two names have the same key exactly when they are the same after removing white
    space, so the order is total on names.
    """
    table = stroke_table()
    chars = normalize_name(name)
    return (tuple(_char_key(char, table) for char in chars[:1]), len(chars),
            tuple(_char_key(char, table) for char in chars[1:]))


def sort_by_name(items: Iterable[T], name: Callable[[T], str],
                 tiebreak: Callable[[T], tuple] = lambda _item: ()) -> list[T]:
    """Items in R9 order of `name(item)`; equal names fall back to `tiebreak(item)`."""
    return sorted(items, key=lambda item: (name_order_key(name(item)), tiebreak(item)))


def unknown_characters(names: Iterable[str]) -> dict[str, list[str]]:
    """Characters that the stroke data lacks, each with the names it occurs in.

    These sort after known characters; the secretariat should check their order by hand.
    """
    table = stroke_table()
    found: dict[str, list[str]] = {}
    for name in names:
        for char in normalize_name(name):
            if char not in table and name not in found.get(char, []):
                found.setdefault(char, []).append(name)
    return found
