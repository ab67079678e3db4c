"""Chinese line breaking for the official documents: no line of an elected list starts
with 、 (or another closing mark), nothing is lost, and no line is wider than the room."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.results.line_breaks import JOIN, NO_LINE_END, NO_LINE_START, unbroken, wrap_lines


def test_a_list_of_names_never_puts_the_separator_at_the_head_of_a_line() -> None:
    names = "、".join(["王秀兰", "刘洋", "丁国强", "周丽华", "陈明"])
    lines = wrap_lines(names, 6, len)  # 6 characters: the 、 after 刘洋 would start line 2
    assert "".join(lines) == names
    assert all(not line.startswith("、") for line in lines), lines
    assert lines[0] == "王秀兰、刘"  # 洋 carried down with its 、
    assert lines[1].startswith("洋、")


def test_explicit_newlines_stay() -> None:
    assert wrap_lines("甲乙\n丙丁", 10, len) == ["甲乙", "丙丁"]


text = st.text(alphabet=list("王刘丁周陈明国强丽华") + ["、", "，", "（", "）", "。"], max_size=80)


@given(text, st.integers(min_value=2, max_value=20))
def test_lines_keep_every_character_fit_and_obey_the_rules(sample: str, width: int) -> None:
    lines = wrap_lines(sample, width, len)
    assert "".join(lines) == sample
    assert all(len(line) <= width for line in lines)
    for previous, line in zip(lines, lines[1:], strict=False):
        if len(previous) > 1:  # a one-character line is as far as the rule can pull
            assert line[0] not in NO_LINE_START, lines
            assert previous[-1] not in NO_LINE_END, lines


def test_a_name_is_never_split_across_lines() -> None:
    names = "、".join(unbroken(name) for name in ["王秀兰", "刘洋", "丁国强", "欧阳明月", "陈明"])
    lines = wrap_lines(names, 8, len)
    assert "".join(lines) == names.replace(JOIN, "")
    assert JOIN not in "".join(lines)
    whole = {"王秀兰", "刘洋", "丁国强", "欧阳明月", "陈明"}
    for line in lines:  # every line holds whole names (and their separators) only
        assert all(part in whole for part in line.strip("、").split("、")), lines
    assert not any(line.startswith("、") for line in lines)
