"""Chinese line breaking for the official documents (禁则, GB/T 15834 practice): a line
never starts with closing punctuation such as 、，。）, and never ends with an opening
bracket. fpdf2 breaks CJK text at any character, so a list of elected names could put
"、" at the head of a line; we choose the breaks ourselves and hand fpdf2 whole lines."""

from __future__ import annotations

from collections.abc import Callable

NO_LINE_START = set("、，。；：？！）】」』”’》〉…—·%,.;:?!)]}")
NO_LINE_END = set("（【「『“‘《〈([{")


def wrap_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Split `text` into lines no wider than `width` (as `measure` sees it), obeying the
    start and end rules by moving a character to the next line. Explicit newlines stay."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, measure))
    return lines


def _wrap_paragraph(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    line = ""
    for char in text:
        if line and measure(line + char) > width:
            line, carried = _break(line, char)
            lines.append(line)
            line = carried
        else:
            line += char
    lines.append(line)
    return lines


def _break(line: str, next_char: str) -> tuple[str, str]:
    """Where to end a full `line` when `next_char` does not fit: returns the line and what
    the next line starts with. Pull characters down while the next line would start with a
    closing mark or this one would end with an opening one (at most a few: never empty)."""
    carried = next_char
    while len(line) > 1 and (carried[0] in NO_LINE_START or line[-1] in NO_LINE_END):
        carried = line[-1] + carried
        line = line[:-1]
    return line, carried
