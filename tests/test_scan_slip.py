"""A column of boxes found a whole row off (a page bending more than a row along a
column, a sheet whose boxes sit a row away from where its corner squares put them):
every box would be read for the candidate next to its own. The reader checks each
column's ends and steps (app/scan/reader._column_slipped) and leaves such a column to a
person rather than read it a row off."""

from __future__ import annotations

import random

import numpy as np
import pytest

from app.scan import read_ballot
from app.scan.reader import _column_slipped
from app.scan.score import CANON_PPM, InkMap, locate_box
from tests.support.deck import deck_module as load_deck_module

deck = load_deck_module()


def _page_with_boxes_a_row_up(seed: int):
    """A 10-candidate ballot marked in pen whose box columns (not its names, not its
    corner squares) were moved up by one row: the first candidate's boxes sit in the
    table's header, each other candidate's where the one above it belongs."""
    rng = random.Random(seed)
    ballot = deck.make_ballot(rng, 10, 2, contest_id=44, round_id=440)
    page = deck.render_page(ballot)
    filled, truth = deck.fill_ballot_as(page, ballot.layout, rng, "pen")
    layout, ppm = ballot.layout, deck.PAGE_PPM
    first, last = layout["candidates"][0], layout["candidates"][-1]
    x0 = round((first["boxes"]["yes"]["x"] - 1.0) * ppm)
    x1 = round((first["boxes"]["no"]["x"] + first["boxes"]["no"]["w"] + 1.0) * ppm)
    y0 = round(first["row"]["y"] * ppm)
    y1 = round((last["row"]["y"] + last["row"]["h"]) * ppm)
    pitch = round(first["row"]["h"] * ppm)
    moved = filled.copy()
    moved[y0 - pitch:y1 - pitch, x0:x1] = filled[y0:y1, x0:x1]
    moved[y1 - pitch:y1, x0:x1] = 255
    photo, _h, _in_view = deck.photograph_stress(moved, layout, rng, "plain", 0.5)
    return ballot, truth, photo


@pytest.mark.parametrize("seed", [3, 8])
def test_boxes_a_row_off_are_left_to_a_person_not_read_for_the_next_candidate(seed):
    ballot, truth, photo = _page_with_boxes_a_row_up(seed)
    reading = read_ballot(photo, key=deck.DECK_KEY, layout_for=lambda _p: ballot.layout,
                          max_bytes=1 << 24, max_pixels=40_000_000)
    wrong = {ref: (expected, reading["marks"][ref]) for ref, expected in truth.marks.items()
             if reading["marks"][ref] not in (expected, "unsure")}
    assert wrong == {}
    # Not one row of the moved columns read: each is a person's to look at.
    assert set(reading["marks"].values()) == {"unsure"}
    reasons = {r["reason"] for r in reading["needs_review"] if "ref" in r}
    assert reasons == {"box_not_found"}
    # The page bent a whole row: its write-in rows are not known to be where they seem.
    assert {r["write_in"] for r in reading["needs_review"] if "write_in" in r} == {0, 1}


# The same check on a drawn ink map: a column of five boxes, one row = 10 mm.
ROW_MM, BOX = 10.0, {"x": 10.0, "w": 8.0, "h": 6.0}


def _ink_with_boxes(rows_mm: list[float]) -> InkMap:
    ink = np.zeros((round(80 * CANON_PPM), round(30 * CANON_PPM)), np.float32)
    for y_mm in rows_mm:
        x, y = round(BOX["x"] * CANON_PPM), round(y_mm * CANON_PPM)
        w, h = round(BOX["w"] * CANON_PPM), round(BOX["h"] * CANON_PPM)
        ink[y, x:x + w + 1] = ink[y + h, x:x + w + 1] = 0.9
        ink[y:y + h + 1, x] = ink[y:y + h + 1, x + w] = 0.9
    return InkMap(ink=ink, gray=np.zeros(ink.shape, np.uint8), origin=(0.0, 0.0), light_level=0.1, noise=0.01)


def _column(rows_mm: list[float]):
    rects = {(f"c{i}", "yes"): {**BOX, "y": y} for i, y in enumerate(rows_mm)}
    layout = {"candidates": [{"ref": f"c{i}", "row": {"y": y - 2.0, "h": ROW_MM},
                              "boxes": {"yes": rects[(f"c{i}", "yes")]}} for i, y in enumerate(rows_mm)],
              "write_ins": []}
    return layout, rects, sorted(rects, key=lambda k: rects[k]["y"])


PRINTED = [20.0, 30.0, 40.0, 50.0, 60.0]


def test_a_column_found_where_it_was_printed_has_not_slipped():
    m = _ink_with_boxes(PRINTED)
    layout, rects, column = _column(PRINTED)
    located = {key: locate_box(m, rects[key]) for key in column}
    assert all(at.found for at in located.values())
    assert not _column_slipped(m, layout, rects, column, located)


def test_a_printed_box_above_the_first_row_means_the_column_is_a_row_off():
    # The photo shows a box a row above the column's first one, where the table's header
    # is: what was found is the column a row down from its own boxes.
    m = _ink_with_boxes([PRINTED[0] - ROW_MM, *PRINTED])
    layout, rects, column = _column(PRINTED)
    located = {key: locate_box(m, rects[key]) for key in column}
    assert all(at.found for at in located.values())
    assert _column_slipped(m, layout, rects, column, located)


def test_a_printed_box_below_the_last_row_means_the_column_is_a_row_off():
    m = _ink_with_boxes([*PRINTED, PRINTED[-1] + ROW_MM])
    layout, rects, column = _column(PRINTED)
    located = {key: locate_box(m, rects[key]) for key in column}
    assert _column_slipped(m, layout, rects, column, located)


def test_two_neighbours_found_on_one_printed_box_mean_the_column_slipped():
    m = _ink_with_boxes(PRINTED)
    layout, rects, column = _column(PRINTED)
    located = {key: locate_box(m, rects[key]) for key in column}
    second, third = column[1], column[2]
    located[third] = located[second]  # the third box followed onto the second's border
    assert _column_slipped(m, layout, rects, column, located) is True
