"""R9 Order of names (按姓氏笔画为序).

Names are compared character by character from the first. A character with fewer
strokes comes first; with equal stroke counts, the stroke sequences are compared
stroke by stroke in the order 横 竖 撇 点 折; equal characters move on to the next
character, and a name that is a prefix of the other comes first.

Stroke data comes from `data/strokes.tsv`, generated from a maintained source by
`scripts/build_stroke_data.py`. Characters the data lacks sort after every known
character (by code point among themselves) and are reported by `unknown_characters`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_DATA = Path(__file__).with_name("data") / "strokes.tsv"
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
    return table


def strokes_of(char: str) -> str | None:
    """The stroke classes of one character, or None when the data lacks it."""
    return stroke_table().get(char)


def normalize_name(name: str) -> str:
    """A name with all white space removed (including the ideographic space U+3000).

    R3 compares write-in names in this form; R9 sorts in this form too.
    """
    return "".join(name.split())


@lru_cache(maxsize=65536)
def name_order_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """R9 sort key: per character, (known?, stroke count, stroke sequence).

    Sequences are strings of the digits 1–5, so comparing them as strings compares
    them stroke by stroke in the order 横竖撇点折. Unknown characters get the key
    (1, code point, "") so they sort after every known character.
    """
    table = stroke_table()
    key = []
    for char in normalize_name(name):
        strokes = table.get(char)
        if strokes is None:
            key.append((1, ord(char), ""))
        else:
            key.append((0, len(strokes), strokes))
    return tuple(key)


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
