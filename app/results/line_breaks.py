"""Chinese line breaking for the official documents (禁则, GB/T 15834 practice): a line
never starts with closing punctuation such as 、，。）, never ends with an opening
bracket, and a person's name is never split across lines. fpdf2 breaks CJK text at any
character, so a list of elected names could put "、" at the head of a line or part of a
name on the next; we choose the breaks ourselves and hand fpdf2 whole lines."""

from __future__ import annotations

from collections.abc import Callable

NO_LINE_START = set("、，。；：？！）】」』”’》〉…—·%,.;:?!)]}")
NO_LINE_END = set("（【「『“‘《〈([{")
JOIN = "\u2060"  # WORD JOINER: the characters on either side stay on one line


def unbroken(text: str) -> str:
    """`text` (a name) marked so that wrap_lines keeps it on one line."""
    return JOIN.join(text)


def wrap_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Split `text` into lines no wider than `width` (as `measure` sees it), obeying the
    start and end rules by moving a character (or a joined name) to the next line.
    Explicit newlines stay; the joiners of `unbroken` are taken out."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(_units(paragraph), width, measure))
    return lines


def _units(text: str) -> list[str]:
    """The pieces a line may break between: single characters, and names joined by JOIN."""
    units: list[str] = []
    for index, char in enumerate(text):
        if char == JOIN:
            continue
        if units and index > 0 and text[index - 1] == JOIN:
            units[-1] += char
        else:
            units.append(char)
    return units


def _wrap_paragraph(units: list[str], width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[list[str]] = []
    line: list[str] = []
    for unit in units:
        if line and measure("".join(line) + unit) > width:
            kept, carried = _break(line, unit)
            lines.append(kept)
            line = carried
        else:
            line.append(unit)
    lines.append(line)
    return ["".join(units_) for units_ in lines]


def _break(line: list[str], next_unit: str) -> tuple[list[str], list[str]]:
    """Where to end a full `line` when `next_unit` does not fit: returns the line and what
    the next line starts with. Pull units down while the next line would start with a
    closing mark or this one would end with an opening one (never emptying the line)."""
    carried = [next_unit]
    while len(line) > 1 and (carried[0][0] in NO_LINE_START or line[-1][-1] in NO_LINE_END):
        carried.insert(0, line[-1])
        line = line[:-1]
    return line, carried
