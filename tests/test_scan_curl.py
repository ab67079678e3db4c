"""A curled page (one edge lifted off the table) moves the rows near that edge by more
than the reader's ±1.5 mm search around the homography's places: the reader follows
each column of boxes row by row (app/scan/reader._locate_boxes), so such a page is read
rather than refused or left to a person row by row."""

from __future__ import annotations

import random

import pytest

from app.scan import ScanError, read_ballot
from tests.support.deck import deck_module as load_deck_module

deck = load_deck_module()
SEEDS = range(6)


@pytest.fixture(scope="module")
def curled():
    rng = random.Random(7070)
    ballot = deck.make_ballot(rng, 50, 5, contest_id=41, round_id=410)
    page = deck.render_page(ballot)
    out = []
    for seed in SEEDS:
        rng = random.Random(seed)
        filled, truth = deck.fill_ballot_as(page, ballot.layout, rng, "pen")
        photo, _h, _in_view = deck.photograph_stress(filled, ballot.layout, rng, "curl", 2.0)
        try:
            reading = read_ballot(photo, key=deck.DECK_KEY, layout_for=lambda _p: ballot.layout,
                                  max_bytes=1 << 24, max_pixels=40_000_000)
        except ScanError as error:
            reading = error
        out.append((truth, reading))
    return out


def test_a_curled_page_is_read_not_refused(curled):
    assert [r.code for _, r in curled if isinstance(r, ScanError)] == []


def test_a_curled_page_is_read_row_by_row_with_no_silent_misread(curled):
    rows = unsure = 0
    for truth, reading in curled:
        for ref, expected in truth.marks.items():
            got = reading["marks"][ref]
            rows += 1
            unsure += got == "unsure"
            assert got in (expected, "unsure"), (ref, expected, got)
    assert unsure / rows <= 0.05, f"{unsure} of {rows} rows left to a person"
