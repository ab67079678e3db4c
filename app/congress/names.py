"""What may stand in a person's name: letters of any script (汉字 first of all), spaces,
and the few marks real names carry — the middle dot of names such as 阿依古丽·买买提,
and . - ' of names written in Latin letters. Anything else (digits, brackets, quotes,
semicolons, control or direction marks) is a typing slip, a paste from somewhere else,
or an attempt to smuggle something onto a ballot, a report or a log: refused.
"""

from __future__ import annotations

import unicodedata

NAME_MARKS = "·•・.-'"


def name_problem(name: str) -> str | None:
    """None for an acceptable name, else a short English reason (the API translates it)."""
    if not name.strip():
        return "must not be blank."
    for char in name:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Co", "Cs"):
            return f"contains the control character U+{ord(char):04X}."
        if not (category[0] in "LM" or category == "Zs" or char in NAME_MARKS):
            return f"may hold only letters, spaces and · . - ' (not {char!r})."
    return None
