"""The photo reader against a fixed deck of 210 photographed ballots with known marks
(scripts/make_test_deck.py: real PDF pages, drawn marks, simulated camera), plus the
refusals. The rule that matters most: no box is ever read wrong without being flagged."""

from __future__ import annotations

import base64
import io
import math
import random

import cv2
import numpy as np
import pytest
from PIL import Image

from app.scan import ScanError, read_ballot
from app.scan.align import project
from app.scan.qr import exposure_problem
from tests.support.deck import deck_module as load_deck_module
from tests.support.deck import write_in_misreads

DECK_SIZE = 210
LIMITS = {"max_bytes": 16 * 1024 * 1024, "max_pixels": 40_000_000}




deck_module = load_deck_module()


def read(sample, data: bytes | None = None, key: str = deck_module.DECK_KEY) -> dict:
    return read_ballot(sample.photo if data is None else data, key=key,
                       layout_for=lambda _payload: sample.ballot.layout, **LIMITS)


@pytest.fixture(scope="module")
def deck():
    return deck_module.make_deck(DECK_SIZE, seed=2026)


@pytest.fixture(scope="module")
def readings(deck):
    out = []
    for sample in deck:
        try:
            out.append((sample, read(sample)))
        except ScanError as error:
            out.append((sample, error))
    return out


def test_the_deck_covers_every_kind_of_mark_and_orientation(deck):
    kinds = {kind for sample in deck for kind in sample.truth.kinds.values()}
    assert {"circle", "cross", "check", "fill", "pencil", "stray", "corrected", "spill"} <= kinds
    quarters = {round(np.degrees(np.arctan2(s.page_to_image[1, 0], s.page_to_image[0, 0])) / 90) % 4
                for s in deck}
    assert quarters == {0, 1, 2, 3}
    assert len(deck) >= 200


def test_every_photo_of_the_deck_is_read(readings):
    refused = [(s.name, r.code) for s, r in readings if isinstance(r, ScanError)]
    assert refused == []


def test_the_qr_code_is_verified_and_named_in_the_reading(readings):
    for sample, reading in readings:
        assert (reading["serial"], reading["contest_id"], reading["round_id"]) == \
            (sample.ballot.serial, sample.ballot.contest_id, sample.ballot.round_id)


def test_every_clear_mark_is_read_right_or_left_to_a_person(readings):
    # A box shaded by a fold or a shadow's edge measures like a blurred light pencil ○,
    # so the reader leaves such rows to a person rather than risk an abstain (issue 14):
    # a few clear rows may be unsure, none may be read wrong.
    clear = [(s, r, ref) for s, r in readings for ref in s.truth.marks if s.truth.clear[ref]]
    wrong = [(s.name, ref, s.truth.marks[ref], r["marks"][ref]) for s, r, ref in clear
             if r["marks"][ref] not in (s.truth.marks[ref], "unsure")]
    assert wrong == []
    unsure = sum(r["marks"][ref] == "unsure" for _, r, ref in clear)
    assert unsure <= 0.015 * len(clear)


def test_no_box_is_ever_misread_without_being_flagged_unsure(readings):
    silent = []
    for sample, reading in readings:
        flagged = {item.get("ref") for item in reading["needs_review"]}
        for ref, truth in sample.truth.marks.items():
            got = reading["marks"][ref]
            if got == "unsure":
                assert ref in flagged  # every unsure verdict says why
            elif got != truth:
                silent.append((sample.name, ref, sample.truth.kinds[ref], truth, got))
    assert silent == []


def test_write_ins_are_read_right_or_flagged(readings):
    assert write_in_misreads(readings) == []


def test_the_share_of_rows_left_to_a_person_is_small_and_reported(readings):
    rows = unsure = clear_unsure = 0
    for sample, reading in readings:
        for ref, got in reading["marks"].items():
            rows += 1
            unsure += got == "unsure"
            clear_unsure += got == "unsure" and sample.truth.clear[ref]
        rows += len(reading["write_ins"])
        unsure += len({i["write_in"] for i in reading["needs_review"] if "write_in" in i})
    share = unsure / rows
    print(f"\nscan deck: {rows} rows, {unsure} flagged unsure ({share:.2%}), "
          f"{clear_unsure} of them clear marks")
    assert clear_unsure <= 0.015 * rows
    assert share < 0.05  # the issue-14 target: at most 5 % of rows left to a person


def test_the_homography_puts_every_box_within_a_millimetre_of_the_truth(readings):
    worst = 0.0
    for sample, reading in readings:
        layout = sample.ballot.layout
        centres = np.array([[b["x"] + b["w"] / 2, b["y"] + b["h"] / 2]
                            for c in layout["candidates"] for b in c["boxes"].values()])
        seen = project(np.array(reading["page_to_image"]), centres)
        truth = project(sample.page_to_image, centres)
        px_per_mm = np.sqrt(abs(np.linalg.det(sample.page_to_image[:2, :2]))) / sample.page_to_image[2, 2]
        worst = max(worst, float(np.linalg.norm(seen - truth, axis=1).max() / px_per_mm))
    assert worst < 2.0  # folds move boxes by up to ~1.7 mm; the box search takes up the rest


def test_reading_reports_scores_confidence_size_and_timings(readings):
    sample, reading = readings[0]
    assert set(reading["scores"]) == set(sample.truth.marks)
    for ref, verdict in reading["marks"].items():
        scores = reading["scores"][ref]
        if verdict == "yes":
            assert scores["yes"] > scores["no"]
        if verdict == "no":
            assert scores["no"] > scores["yes"]
    assert 0 <= reading["confidence"] <= 1
    assert sorted(reading["image_size"]) == [1200, 1600]
    assert set(reading["timings_ms"]) == {"decode", "align", "score", "total"}


def test_a_write_in_name_crop_is_a_png_of_the_name_area(readings):
    sample, reading = next((s, r) for s, r in readings if r["write_ins"])
    crop = reading["write_ins"][0]["name_crop"]
    assert crop.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(crop.split(",", 1)[1])))
    area = sample.ballot.layout["write_ins"][0]["name_area"]
    assert image.format == "PNG"
    assert abs(image.width / image.height - (area["w"] + 2) / (area["h"] + 2)) < 0.2


# --------------------------------------------------------------------------- refusals

def _code(call) -> str:
    with pytest.raises(ScanError) as caught:
        call()
    return caught.value.code


def _jpeg(gray: np.ndarray) -> bytes:
    return cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()


def _gray(sample) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(sample.photo, np.uint8), cv2.IMREAD_GRAYSCALE)


def test_something_that_is_not_a_picture_is_refused(deck):
    assert _code(lambda: read(deck[0], b"%PDF-1.4 not a photo")) == "not_an_image"
    assert _code(lambda: read(deck[0], b"")) == "not_an_image"
    assert _code(lambda: read(deck[0], deck[0].photo[:2000])) == "not_an_image"


def test_too_many_bytes_or_pixels_are_refused_before_decoding(deck):
    assert _code(lambda: read_ballot(deck[0].photo, key="k", layout_for=dict, max_bytes=1000,
                                     max_pixels=10**8)) == "image_too_large"
    bomb = io.BytesIO()
    Image.new("L", (9000, 9000), 255).save(bomb, "PNG")  # 81 MP in a few dozen kB
    assert len(bomb.getvalue()) < 200_000
    assert _code(lambda: read(deck[0], bomb.getvalue())) == "image_too_large"


def test_a_photo_without_a_ballot_is_refused(deck):
    table = np.clip(deck_module._table(random.Random(1), 1600, 1200, False), 0, 255).astype(np.uint8)
    assert _code(lambda: read(deck[0], _jpeg(table))) == "no_ballot_found"


def test_a_dark_photo_is_refused_as_too_dark(deck):
    dark = (_gray(deck[1]).astype(np.float32) * 0.08).astype(np.uint8)
    assert _code(lambda: read(deck[1], _jpeg(dark))) == "too_dark"


def test_a_dim_grainy_photo_is_called_too_dark_but_a_page_without_a_ballot_is_not(deck):
    # A dim room: the camera's gain brightens the page back to a grey of about 100 but
    # brings a heavy grain (the stress deck's stress-0104, seed 31, was refused as "no
    # ballot" so). A teller needs "more light", not "get the ballot in the frame".
    gray = _gray(deck[1]).astype(np.float32)
    grain = np.random.default_rng(5).normal(0, 10, gray.shape)
    dim = np.clip(gray * 0.5 + grain, 0, 255).astype(np.uint8)
    dim = cv2.imdecode(np.frombuffer(_jpeg(dim), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert exposure_problem(dim) == "too_dark"
    # The same page in the same dim light without the grain is not called dark by the
    # grain rule (its paper is bright enough; the QR code is what is looked for first).
    clean = np.clip(gray * 0.5, 0, 255).astype(np.uint8)
    assert exposure_problem(clean) is None
    # No ballot, a blank sheet, a page of another document: never "too dark".
    table = np.clip(deck_module._table(random.Random(1), 1600, 1200, False), 0, 255).astype(np.uint8)
    assert exposure_problem(table) is None
    assert exposure_problem(np.full((1200, 1600), 180, np.uint8)) is None
    assert exposure_problem(_gray(deck[0])) is None


def test_a_blurred_photo_is_refused_as_too_blurred(deck):
    soft = cv2.GaussianBlur(_gray(deck[1]), (0, 0), 9)
    assert _code(lambda: read(deck[1], _jpeg(soft))) == "too_blurred"


def test_a_photo_shaken_diagonally_is_refused_as_too_blurred(deck):
    # A hand that moved about 4 mm of the page on a slant: the QR code cannot be read,
    # and the edges across and down are only partly softened (the diagonal is).
    gray = _gray(deck[1])
    length = 16
    kernel = np.zeros((length + 1, length + 1), np.float32)
    dx, dy = math.cos(0.6) * length / 2, math.sin(0.6) * length / 2
    cv2.line(kernel, (round(length / 2 - dx), round(length / 2 - dy)),
             (round(length / 2 + dx), round(length / 2 + dy)), 1.0, 1)
    shaken = cv2.filter2D(gray, -1, kernel / kernel.sum())
    assert _code(lambda: read(deck[1], _jpeg(shaken))) == "too_blurred"


def test_a_page_with_a_corner_cut_off_is_refused(deck):
    sample = deck[0]
    gray = _gray(sample)
    layout = sample.ballot.layout
    marks = project(sample.page_to_image, np.array([[m["x"] + 4, m["y"] + 4] for m in layout["marks"]]))
    qr = project(sample.page_to_image, np.array([[layout["qr"]["x"] + 15, layout["qr"]["y"] + 15]]))[0]
    far = marks[np.argmax(np.linalg.norm(marks - qr, axis=1))]  # the corner farthest from the QR
    x0, y0 = int(max(0, far[0] - 60)), int(max(0, far[1] - 60))
    gray[y0:y0 + 120, x0:x0 + 120] = 90  # the table where that corner of the page was
    assert _code(lambda: read(sample, _jpeg(gray))) == "page_cut_off"


def test_a_foreign_qr_code_is_not_ours_and_a_forged_tag_is_refused(deck):
    import qrcode

    code = np.array(qrcode.make("https://example.com/not-a-ballot", border=4).convert("L"))
    frame = np.full((1200, 1600), 200, np.uint8)
    frame[300:300 + code.shape[0], 500:500 + code.shape[1]] = code
    assert _code(lambda: read(deck[0], _jpeg(frame))) == "not_ours"
    assert _code(lambda: read(deck[0], key="another-installation")) == "bad_tag"


def test_exif_orientation_is_applied(deck):
    sample = deck[2]
    image = Image.open(io.BytesIO(sample.photo))
    turned = image.transpose(Image.Transpose.ROTATE_90)  # stored sideways …
    exif = Image.Exif()
    exif[0x0112] = 6  # … with the camera saying "rotate 90° clockwise to show"
    out = io.BytesIO()
    turned.save(out, "JPEG", quality=92, exif=exif.tobytes())
    reading = read(sample, out.getvalue())
    assert reading["image_size"] == list(image.size)
    assert reading["marks"] == read(sample)["marks"]


def test_a_twelve_megapixel_photo_is_read_like_a_small_one():
    sample = deck_module.make_deck(1, seed=77, size=(4000, 3000))[0]
    reading = read(sample)
    assert sorted(reading["image_size"]) == [3000, 4000]
    for ref, truth in sample.truth.marks.items():
        assert reading["marks"][ref] in (truth, "unsure")
        if sample.truth.clear[ref]:
            assert reading["marks"][ref] == truth
    # The homography is in the photo's own pixels, not the reduced working copy's.
    layout = sample.ballot.layout
    centre = np.array([[layout["qr"]["x"] + 15, layout["qr"]["y"] + 15]])
    error = np.linalg.norm(project(np.array(reading["page_to_image"]), centre)
                           - project(sample.page_to_image, centre))
    assert error < 15  # pixels of a 4000 × 3000 photo (~13 px per mm)
