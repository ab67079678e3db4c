"""The reader's page rules (app/scan/classify.settle_by_page and score.with_box_noise):
boxes the first look leaves to a person, settled against the voter's own marks only
where the page leaves no doubt, and the page's grain measured inside the boxes."""

from __future__ import annotations

import numpy as np
import pytest

from app.scan.classify import (
    BoxVerdict,
    EmptyBoxes,
    empty_boxes,
    judge_box,
    marks_may_hide,
    settle_by_page,
    settle_lone_strokes,
)
from app.scan.score import CANON_PPM, BoxInk, InkMap, locate_box, with_box_noise

PAPER = EmptyBoxes(score=0.002, score_spread=0.004, light=0.0, light_spread=0.01, quiet_spread=0.0025,
                   score_mad=0.001)


def box(score: float, *, faint: float = 0.0, light: float = 0.0, span: float = 0.0, reach: float = 0.0,
        bare: float = 0.0, found: bool = True, sharp: float = 0.3,
        shift_mm: tuple[float, float] = (0.0, 0.0)) -> BoxInk:
    return BoxInk(score=PAPER.score + score, dark=0.0, light=light, ring=0.0, shift_mm=shift_mm,
                  found=found,
                  border=0.2, span=span, bare=bare, faint=faint, reach=reach, sharp=sharp)


def settle(boxes: dict[str, BoxInk]) -> dict[str, str]:
    first = {key: judge_box(b, PAPER) for key, b in boxes.items()}
    return {key: verdict.state for key, verdict in settle_by_page(boxes, first, PAPER).items()}


def light_pencil_page(extra: dict[str, BoxInk] | None = None) -> dict[str, BoxInk]:
    """Ten light pencil marks, all about as dark, each showing a faint line but none
    reaching the page's inked level, and twenty empty boxes of bare paper."""
    boxes = {f"mark{i}": box(0.012 + 0.0006 * i, faint=0.05 + 0.01 * (i % 3), reach=0.7) for i in range(10)}
    boxes |= {f"empty{i}": box(0.0004 * (i % 4)) for i in range(20)}
    return boxes | (extra or {})


def test_the_first_look_leaves_a_light_pencil_page_to_a_person():
    first = {key: judge_box(b, PAPER).state for key, b in light_pencil_page().items()}
    assert {first[f"mark{i}"] for i in range(10)} == {"smudged"}


def test_a_page_of_two_clean_groups_reads_the_voters_light_marks():
    states = settle(light_pencil_page())
    assert {states[f"mark{i}"] for i in range(10)} == {"marked"}
    assert {states[f"empty{i}"] for i in range(20)} == {"empty"}


def test_one_box_between_the_groups_leaves_the_whole_page_as_it_was():
    between = box(0.006, faint=0.06, reach=0.5)  # a stroke, fainter than the voter's marks
    states = settle(light_pencil_page({"between": between}))
    assert {states[f"mark{i}"] for i in range(10)} == {"smudged"}
    assert states["between"] == judge_box(between, PAPER).state


def test_a_grey_shade_between_the_groups_does_not_hold_the_voters_marks_back():
    states = settle(light_pencil_page({"shade": box(0.006)}))
    assert {states[f"mark{i}"] for i in range(10)} == {"marked"}


def test_a_grey_box_without_a_line_is_not_made_a_mark():
    # As dark as the marks, but no faint line: a shade or a smudge, for a person.
    states = settle(light_pencil_page({"shade": box(0.014, faint=0.0, reach=0.0)}))
    assert states["shade"] == "smudged"


def test_a_page_whose_empty_boxes_vary_as_much_as_the_marks_is_not_settled():
    noisy = EmptyBoxes(score=0.002, score_spread=0.004, light=0.0, light_spread=0.01, quiet_spread=0.004,
                       score_mad=0.004)
    boxes = light_pencil_page()
    first = {key: judge_box(b, noisy) for key, b in boxes.items()}
    settled = settle_by_page(boxes, first, noisy)
    assert all(settled[key] == first[key] for key in boxes)


def pen_page(extra: dict[str, BoxInk]) -> dict[str, BoxInk]:
    """A voter with a dark pen: clear marks far above every empty box."""
    boxes = {f"mark{i}": box(0.2, faint=0.4, light=0.5, span=0.8, reach=0.9, bare=0.5) for i in range(8)}
    return boxes | {f"empty{i}": box(0.0) for i in range(12)} | extra


def test_a_strokeless_grey_box_far_under_a_pen_voters_marks_is_empty():
    states = settle(pen_page({"shadow": box(0.012)}))
    assert judge_box(box(0.012), PAPER).state == "smudged"
    assert states["shadow"] == "empty"


@pytest.mark.parametrize("sign", [{"faint": 0.05}, {"reach": 0.6}, {"span": 0.2}, {"light": 0.05}])
def test_any_sign_of_a_stroke_keeps_a_grey_box_for_a_person(sign):
    states = settle(pen_page({"grey": box(0.012, **sign)}))
    assert states["grey"] in ("smudged", "faint")


def test_a_grey_box_near_a_pen_voters_own_marks_stays_for_a_person():
    # 0.04 is a fifth of this voter's marks: too close to call it a shade.
    states = settle(pen_page({"grey": box(0.04)}))
    assert states["grey"] == "smudged"


def test_without_three_clear_marks_nothing_is_settled_against_the_voter():
    boxes = {"mark": box(0.2, faint=0.4, light=0.5, span=0.8, reach=0.9, bare=0.5), "grey": box(0.012)}
    boxes |= {f"empty{i}": box(0.0) for i in range(10)}
    assert settle(boxes)["grey"] == "smudged"


def test_the_page_baseline_keeps_the_unfloored_spread():
    lighter = [box(v) for v in (0.0, 0.001, 0.0005, 0.0012, 0.0008)]
    assert 0 < empty_boxes(lighter).score_mad < empty_boxes(lighter).score_spread


def test_the_grain_is_measured_inside_the_boxes_not_on_the_print_around_them():
    rng = np.random.default_rng(5)
    ink = rng.normal(0.0, 0.01, (200, 300)).astype(np.float32)
    ink[::6, :] = 0.9   # dense printed lines and names all over the table
    rects = []
    for i in range(6):   # six boxes, their insides bare paper
        x, y = 20 + 40 * i, 60
        ink[y:y + 40, x:x + 30] = rng.normal(0.0, 0.01, (40, 30))
        ink[y, x:x + 31] = ink[y + 40, x:x + 31] = 0.9
        ink[y:y + 41, x] = ink[y:y + 41, x + 30] = 0.9
        rects.append({"x": x / CANON_PPM, "y": y / CANON_PPM, "w": 30 / CANON_PPM, "h": 40 / CANON_PPM})
    sample = ink[::3, ::3]
    table_noise = 1.4826 * float(np.median(np.abs(sample - np.median(sample))))
    m = InkMap(ink=ink, gray=np.zeros((200, 300), np.uint8), origin=(0.0, 0.0), light_level=0.1,
               noise=table_noise)
    measured = with_box_noise(m, [locate_box(m, rect) for rect in rects])
    assert measured.box_noise is not None and measured.box_noise < 0.01 < table_noise
    assert measured.noise == table_noise  # the write-in names keep the table's own


def test_a_verdict_settled_by_the_page_keeps_its_score():
    boxes = light_pencil_page()
    first = {key: judge_box(b, PAPER) for key, b in boxes.items()}
    settled = settle_by_page(boxes, first, PAPER)
    assert all(isinstance(v, BoxVerdict) and v.score == first[k].score for k, v in settled.items())
    assert all(v.confidence > 0 for k, v in settled.items() if v.state == "marked")


def test_a_dark_shade_over_a_name_area_is_not_read_as_a_written_name():
    # A shadow on a dim, grainy photo darkens part of an empty name area past the pen
    # level; it does not stand out from the paper beside it as a pen stroke does.
    from app.scan.reader import _name_in

    rng = np.random.default_rng(9)
    ink = rng.normal(0.0, 0.04, (60, 300)).astype(np.float32)
    xs = np.arange(300)
    ink += (0.6 * np.exp(-((xs - 90) / 14.0) ** 2))[None, :].astype(np.float32)  # the shade, 6 mm wide
    m = InkMap(ink=ink, gray=np.zeros(ink.shape, np.uint8), origin=(0.0, 0.0), light_level=0.1, noise=0.04)
    area = {"x": 2.0, "y": 2.0, "w": 56.0, "h": 6.0}
    assert _name_in(m, area)[0] is None  # left to a person, never "a name"
    written = ink.copy()
    for row in range(18, 36):  # pen strokes 0.6 mm wide: two slants, a down stroke, a short bar
        written[row, 200 + (row - 18) // 2:203 + (row - 18) // 2] = 0.9
        written[row, 240 - (row - 18) // 2:243 - (row - 18) // 2] = 0.9
    written[18:36, 220:223] = 0.9
    written[26:29, 214:226] = 0.9
    m_written = InkMap(ink=written, gray=np.zeros(ink.shape, np.uint8), origin=(0.0, 0.0), light_level=0.1,
                       noise=0.04)
    assert _name_in(m_written, {"x": 38.0, "y": 2.0, "w": 20.0, "h": 6.0})[0] is True


def test_a_faint_edge_with_next_to_no_ink_is_not_a_pen_voters_mark():
    # A printed border bled into the box (a faint edge, no mean ink to speak of): for a
    # voter whose marks are dark, that is nothing of theirs.
    edge = box(0.004, faint=0.3, reach=0.3)
    assert judge_box(edge, PAPER).state == "smudged"
    assert settle(pen_page({"edge": edge}))["edge"] == "empty"
    # … but the same edge on a light-pencil page, where 0.004 is a third of a mark, stays.
    assert settle(light_pencil_page({"edge": edge}))["edge"] != "empty"


# --------------------------------------------------------------------------- a lone stroke
#
# A light pencil voter whose marks run from faint to fainter (so the page is not two
# clean groups): a box left to a person whose row partner is empty is read as marked
# when its ink is a stroke, standing out from the paper beside it, above the empty boxes.

def pencil_rows(extra: dict[str, tuple[BoxInk, BoxInk]] | None = None) -> dict[str, tuple[BoxInk, BoxInk]]:
    """Twelve rows marked in light pencil at levels running from 0.006 to 0.028 (one of
    each pair empty), and six rows left blank."""
    rows = {f"r{i}": (box(0.006 + 0.002 * i, faint=0.06, reach=0.6), box(0.0004 * (i % 3)))
            for i in range(12)}
    rows |= {f"blank{i}": (box(0.0003 * i), box(0.0002 * i)) for i in range(6)}
    return rows | (extra or {})


def settle_rows(rows: dict[str, tuple[BoxInk, BoxInk]]) -> dict[tuple[str, str], str]:
    boxes = {(ref, side): pair[i] for ref, pair in rows.items() for i, side in enumerate(("yes", "no"))}
    first = {key: judge_box(b, PAPER) for key, b in boxes.items()}
    by_page = settle_by_page(boxes, first, PAPER)
    settled = settle_lone_strokes(boxes, by_page, PAPER, [((ref, "yes"), (ref, "no")) for ref in rows])
    return {key: verdict.state for key, verdict in settled.items()}


def test_the_page_rules_leave_a_pencil_voters_running_marks_to_a_person():
    boxes = {(ref, side): pair[i] for ref, pair in pencil_rows().items()
             for i, side in enumerate(("yes", "no"))}
    first = {key: judge_box(b, PAPER) for key, b in boxes.items()}
    by_page = settle_by_page(boxes, first, PAPER)
    assert sum(by_page[(f"r{i}", "yes")].state in ("faint", "smudged") for i in range(12)) >= 8


def test_a_lone_stroke_above_the_empty_boxes_is_read_as_the_voters_mark():
    states = settle_rows(pencil_rows())
    assert {states[(f"r{i}", "yes")] for i in range(1, 12)} == {"marked"}
    assert {states[(f"r{i}", "no")] for i in range(12)} == {"empty"}


def test_a_stroke_under_half_the_voters_typical_mark_stays_for_a_person():
    # A voter with clear marks at 0.03: a stroke at 0.009 is under half of theirs.
    clear = {f"d{i}": (box(0.03, faint=0.1, light=0.1, span=0.6, reach=0.8), box(0.0)) for i in range(6)}
    weak, fair = box(0.009, faint=0.06, reach=0.6), box(0.02, faint=0.06, reach=0.6)
    states = settle_rows(pencil_rows(clear | {"weak": (weak, box(0.0)), "fair": (fair, box(0.0))}))
    assert {states[(f"d{i}", "yes")] for i in range(6)} == {"marked"}
    assert states[("weak", "yes")] == judge_box(weak, PAPER).state != "marked"
    assert states[("fair", "yes")] == "marked"


@pytest.mark.parametrize("not_a_stroke", [
    {"faint": 0.0, "reach": 0.0},            # a grey box with no line in it: a shade, a smear
    {"faint": 0.06, "sharp": 0.05},          # a line as smooth as a shadow's edge or a bled border
])
def test_ink_that_is_not_a_stroke_is_not_made_a_mark(not_a_stroke):
    states = settle_rows(pencil_rows({"odd": (box(0.02, **{"reach": 0.6, **not_a_stroke}), box(0.0))}))
    assert states[("odd", "yes")] != "marked"


def test_a_stroke_beside_a_box_that_is_not_empty_stays_for_a_person():
    states = settle_rows(pencil_rows({"both": (box(0.02, faint=0.06, reach=0.6),
                                               box(0.018, faint=0.06, reach=0.6))}))
    assert states[("both", "yes")] != "marked" and states[("both", "no")] != "marked"


def test_nothing_is_settled_as_a_lone_stroke_on_a_page_that_moved_off_its_places():
    # A box found a millimetre off holds a stretch of its own printed border.
    moved = box(0.0, shift_mm=(-1.2, 0.0))
    states = settle_rows(pencil_rows({"moved": (moved, moved)}))
    assert all(states[(f"r{i}", "yes")] != "marked" for i in range(12))


# --------------------------------------------------------------------------- marks may hide

def verdicts_of(boxes: dict[str, BoxInk]) -> dict[str, BoxVerdict]:
    return {key: judge_box(b, PAPER) for key, b in boxes.items()}


def clear_pencil(level: float, faint: float) -> BoxInk:
    return box(level, faint=faint, light=0.06, span=0.6, reach=0.8)


def test_a_faint_voter_may_hide_marks_among_the_empty_boxes():
    boxes = {f"m{i}": clear_pencil(0.022, 0.05) for i in range(8)} | {f"e{i}": box(0.0) for i in range(20)}
    verdicts = verdicts_of(boxes)
    assert all(verdicts[f"m{i}"].state == "marked" for i in range(8))
    assert marks_may_hide(boxes, verdicts, PAPER)


def test_a_voter_whose_every_mark_is_a_clear_line_hides_none():
    boxes = {f"m{i}": clear_pencil(0.022, 0.15) for i in range(8)} | {f"e{i}": box(0.0) for i in range(20)}
    assert not marks_may_hide(boxes, verdicts_of(boxes), PAPER)


def test_one_doubtful_box_or_too_few_marks_keeps_the_page_in_doubt():
    boxes = {f"m{i}": clear_pencil(0.022, 0.15) for i in range(8)} | {f"e{i}": box(0.0) for i in range(20)}
    doubtful = boxes | {"grey": box(0.01)}
    assert judge_box(box(0.01), PAPER).state == "smudged"
    assert marks_may_hide(doubtful, verdicts_of(doubtful), PAPER)
    few = {f"m{i}": clear_pencil(0.022, 0.15) for i in range(4)} | {f"e{i}": box(0.0) for i in range(20)}
    assert marks_may_hide(few, verdicts_of(few), PAPER)


def test_a_page_of_dark_marks_hides_none():
    boxes = {f"m{i}": box(0.2, faint=0.02, light=0.5, span=0.8, reach=0.9) for i in range(3)}
    boxes |= {f"e{i}": box(0.0) for i in range(20)}
    assert not marks_may_hide(boxes, verdicts_of(boxes), PAPER)


def test_a_page_with_a_box_washed_out_keeps_its_faint_marks_in_doubt():
    # Marks 0.03 above the empty boxes: 12 of their spreads, clear enough on a whole page,
    # not beside a box whose border glare washed out (its faint marks may be washed too).
    boxes = {f"m{i}": box(0.03, faint=0.06, light=0.06, span=0.6, reach=0.8) for i in range(8)}
    boxes |= {f"e{i}": box(0.0) for i in range(20)}
    assert not marks_may_hide(boxes, verdicts_of(boxes), PAPER)
    washed = boxes | {"lost": box(0.0, found=False)}
    assert marks_may_hide(washed, verdicts_of(washed), PAPER)


def test_a_box_not_seen_does_not_count_among_the_voters_marks():
    # Four boxes not seen measure dark (a shade over them): the voter's own marks are
    # still the faint ones.
    boxes = {f"m{i}": clear_pencil(0.022, 0.05) for i in range(8)} | {f"e{i}": box(0.0) for i in range(20)}
    boxes |= {f"unseen{i}": box(0.3, found=False) for i in range(12)}
    assert marks_may_hide(boxes, verdicts_of(boxes), PAPER)
