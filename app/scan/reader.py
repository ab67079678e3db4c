"""Reading one ballot photo: load → QR → check → align → measure → classify.

`read_ballot` is pure of any database or web framework: the caller passes the ballot
key and `layout_for(payload)`, which returns the printed layout of that contest round
(and raises its own error for a ballot of another contest or round, one never printed
or one voided). Nothing is recorded here.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import cv2
import numpy as np

from app.ballots.serials import Payload, PayloadError, parse_and_verify

from .align import Alignment, align, project
from .classify import (
    LOW_CONFIDENCE,
    empty_boxes,
    judge_box,
    judge_candidate,
    judge_write_in_mark,
    marks_may_hide,
    settle_by_page,
    settle_lone_strokes,
)
from .errors import ScanError
from .image import Photo, load_photo
from .qr import exposure_problem, find_qr
from .score import (
    CANON_PPM,
    SEARCH_MM,
    BoxInk,
    InkMap,
    Located,
    column_shift,
    crop_png,
    ink_map,
    locate_box,
    measure_box,
    name_ink,
    table_region,
    with_box_noise,
)

BORDER_SHARE = 0.4       # a box border this much weaker than the page's typical one: not found
BLUR_LIMIT_MM = 0.9      # edge spread at the marks beyond which boxes cannot be told apart
MIN_CONTRAST = 30.0      # grey levels between paper and toner at the marks
MIN_PAPER = 60.0     # grey level of the paper at the marks: below it a pen's ink drowns in the grain
GRAINY_EMPTY = 0.025  # mean ink of the page's empty boxes above which the grain hides pencil
GRAINY_BLANK = 0.012  # … and above which a page without a single mark may hide them
GLARE_BOXES, GLARE_SHARE, GLARE_GREY = 3, 0.05, 245  # boxes lost in white: a reflection
NAME_DARK, NAME_SPAN_MM = 0.002, 2.0      # a written name: this much dark ink over this width
NO_NAME_DARK, NO_NAME_SPAN_MM = 0.0006, 1.0
LOCAL_JUMP_MM = 1.0  # rows of a column a bending page moves apart by more than this
LOCAL_COLUMN_SEARCH_MM = 4.0  # how far a whole column is looked for across
SEARCH_END_PX = round(SEARCH_MM * CANON_PPM) - 1  # a box found this far out reached the search's end
# A box border beyond a column's ends at least this strong (share of the column's typical
# border): the column was followed a row off. The table's header there measured at most
# 0.43 on the standard deck, 0.37 on the hard deck and 0.77 on stress seeds 101 and 202;
# the boxes a row off on seed 101, 1.9-2.1.
BEYOND_SHARE = 0.9
TREND_MIN_BOXES, TREND_RANSAC_MM = 8, 0.6  # the candidate rows' trend (write-in rows follow it)
NAME_PEN_LOCAL = 0.2  # pen ink above its surroundings' mean (a shade is not)
NAME_LIGHT = 0.2    # ink level of a pencil stroke in a name area (pen strokes pass DARK)
# The faintest look for a name: a 5×5 (1 mm) mean above this level or this many times
# the page's grain (score.py's noise), whichever is higher. Chosen on the stress deck
# (seeds 7, 14, 31, 47): every named row there shows some ink at this level.
NAME_FAINT, NAME_FAINT_NOISE, NAME_FAINT_MEAN_PX = 0.1, 1.8, 5
# … and what is found there must also stand this far above its own surroundings (a
# shadow's shade does not; every named row of those decks does).
NAME_LOCAL, NAME_LOCAL_NOISE = 0.03, 1.0


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def read_ballot(data: bytes | Photo, *, key: str, layout_for: Callable[[Payload], Mapping[str, Any]],
                max_bytes: int, max_pixels: int) -> dict[str, Any]:
    """The interpretation of one photo (see schemas/scan.py), or ScanError. `data` may
    also be a Photo already decoded (the batch reader's rendered page: no re-encoding)."""
    started = time.perf_counter()
    photo = data if isinstance(data, Photo) else load_photo(data, max_bytes=max_bytes, max_pixels=max_pixels)
    qr = find_qr(photo.gray)
    if qr is None:
        raise ScanError(exposure_problem(photo.gray) or "no_ballot_found")
    try:
        payload = parse_and_verify(key, qr.text)
    except PayloadError as error:
        raise ScanError(error.code) from None
    decode_ms = _ms(started)
    layout = layout_for(payload)

    step = time.perf_counter()
    _check_light(photo.gray, qr.corners)
    alignment = align(photo.gray, layout, qr)
    if alignment.paper < MIN_PAPER or alignment.paper - alignment.ink < MIN_CONTRAST:
        raise ScanError("too_dark")
    if alignment.blur_mm > BLUR_LIMIT_MM:
        raise ScanError("too_blurred")
    region = table_region(layout)
    corners = np.array([[region[0], region[1]], [region[2], region[1]], [region[2], region[3]],
                        [region[0], region[3]]])
    seen = project(alignment.h, corners)
    height, width = photo.gray.shape
    if (seen[:, 0].min() < 0 or seen[:, 1].min() < 0 or seen[:, 0].max() > width
            or seen[:, 1].max() > height):
        raise ScanError("page_cut_off")
    align_ms = _ms(step)

    step = time.perf_counter()
    reading = _read_boxes(photo.gray, layout, alignment)
    score_ms = _ms(step)

    to_original = np.diag([photo.scale, photo.scale, 1.0]) @ alignment.h
    to_original /= to_original[2, 2]
    return {
        "serial": payload.serial, "contest_id": payload.contest_id, "round_id": payload.round_id,
        **reading,
        "page_to_image": [[float(v) for v in row] for row in to_original],
        "image_size": [photo.size[0], photo.size[1]],
        "timings_ms": {"decode": decode_ms, "align": align_ms, "score": score_ms,
                       "total": _ms(started)},
        "diagnostics": {"qr_variant": qr.variant, "qr_error_mm": round(alignment.qr_error_mm, 2),
                        "blur_mm": round(alignment.blur_mm, 3),
                        "px_per_mm": round(alignment.px_per_mm * photo.scale, 2)},
    }


def _check_light(gray: np.ndarray, corners: np.ndarray) -> None:
    """Refuse a photo too dark to read (zxing can still find a QR code in it): the paper
    and ink around the QR code must be bright and far enough apart."""
    x0, y0 = np.maximum(corners.min(axis=0).astype(int), 0)
    x1, y1 = corners.max(axis=0).astype(int) + 1
    patch = gray[y0:y1, x0:x1]
    if patch.size == 0:
        return
    ink, paper = np.percentile(patch, (5, 95))
    if paper < MIN_PAPER or paper - ink < MIN_CONTRAST:
        raise ScanError("too_dark")


def _check_glare(m: InkMap, layout: Mapping[str, Any], boxes: dict[tuple[str, str], BoxInk]) -> None:
    """Refuse a photo where a reflection washes out several boxes: their printed borders
    are lost in white (the camera saturated), so no mark there can be seen. A person
    can tilt the tablet and retake it; leaving each of those rows to a person would
    mean reading them off the paper anyway."""
    lost = [rect for c in layout["candidates"] for side, rect in c["boxes"].items()
            if not boxes[(c["ref"], side)].found]
    if len(lost) < max(GLARE_BOXES, GLARE_SHARE * len(boxes)):
        return
    washed = 0
    for rect in lost:
        x, y = (round(v) for v in m.px(rect["x"], rect["y"]))
        patch = m.gray[max(0, y):y + round(rect["h"] * CANON_PPM), max(0, x):x + round(rect["w"] * CANON_PPM)]
        washed += patch.size > 0 and float(np.median(patch)) >= GLARE_GREY
    if washed >= GLARE_BOXES:
        raise ScanError("glare")


def _gaps(layout: Mapping[str, Any], rect: dict[str, float], row: dict[str, float]) -> tuple[float, float]:
    """Free paper beside a box: across, the box column's margin (from the layout), and
    down to the row's edges."""
    vertical = min(rect["y"] - row["y"], row["y"] + row["h"] - rect["y"] - rect["h"])
    return layout["table"]["box_margin"], max(vertical, 0.5)


def _locate_boxes(m: InkMap, layout: Mapping[str, Any]) -> tuple[dict[tuple[str, str], Located], bool]:
    """Every candidate box found near where the homography puts it. On a page that
    bends (a curled edge moves rows by more than the search reaches: a box at the
    search's end, or a jump between neighbouring rows), each such column of boxes is
    searched across as a whole (±LOCAL_COLUMN_SEARCH_MM), then followed row by row from
    its surest box, each box looked for around where the one before it was found, so
    the alignment follows the page as it bends. A box keeps what it was found at unless
    the new place shows its border. A followed search moves at most the search's reach
    from one row to the next, but over many rows it can drift a whole row: every column
    is then checked (`_column_slipped`) and one found a row off is left to a person.
    Returns where each box was found and whether some column slipped so."""
    rects = _candidate_boxes(layout)
    partners = {(c["ref"], side): tuple(o for k, o in c["boxes"].items() if k != side)
                for c in layout["candidates"] for side in c["boxes"]}
    located = {key: locate_box(m, rect, partners[key]) for key, rect in rects.items()}
    columns: dict[int, list[tuple[str, str]]] = {}
    for key, rect in rects.items():
        columns.setdefault(round(rect["x"]), []).append(key)
    jump = round(LOCAL_JUMP_MM * CANON_PPM)
    for column in columns.values():
        column.sort(key=lambda k: rects[k]["y"])
        shifts = np.array([located[k].shift for k in column])
        bends = np.abs(shifts).max() >= SEARCH_END_PX or (
            len(column) > 1 and np.abs(np.diff(shifts, axis=0)).max() >= jump)
        if not bends:
            continue
        # Across, a column moves as one (a side edge lifting pulls it in whole): its
        # borders are searched wider, all rows together, and its boxes looked for there.
        across, _strength = column_shift(m, [rects[k] for k in column], LOCAL_COLUMN_SEARCH_MM)
        if abs(across) >= SEARCH_END_PX:
            for key in column:
                again = locate_box(m, rects[key], partners[key], (across, located[key].shift[1]))
                if again.found and again.border >= located[key].border:
                    located[key] = again
            shifts = np.array([located[k].shift for k in column])
        # Down, follow the column row by row from its surest box: a clear border close to
        # where the homography (and the column's shift) put it.
        start = max(range(len(column)), key=lambda i: located[column[i]].border
                    * (abs(shifts[i][1]) < SEARCH_END_PX))
        for step in (1, -1):
            prior = located[column[start]].shift
            index = start + step
            while 0 <= index < len(column):
                key = column[index]
                followed = locate_box(m, rects[key], partners[key], prior)
                if followed.found and followed.border >= BORDER_SHARE * located[key].border:
                    located[key] = followed
                prior = located[key].shift
                index += step
    slipped = False
    for column in columns.values():
        if _column_slipped(m, layout, rects, column, located):
            # Followed a row off (a page bending more than a row's height along a
            # column): none of its boxes is known to be its candidate's.
            slipped = True
            for key in column:
                located[key] = replace(located[key], found=False)
    return located, slipped


def _row_pitch(layout: Mapping[str, Any]) -> float:
    return max(c["row"]["h"] for c in layout["candidates"]) if layout["candidates"] else 0.0


def _column_slipped(m: InkMap, layout: Mapping[str, Any], rects: Mapping[tuple[str, str], dict[str, float]],
                    column: list[tuple[str, str]], located: Mapping[tuple[str, str], Located]) -> bool:
    """Whether a column of boxes was found a row off, so that each box would be read for
    the candidate next to its own: two neighbouring boxes seen half a row closer or
    further apart than printed (one box found twice, or one skipped), or a printed box
    showing a row above the column's first box (where the table's header is) or a row
    below its last one where nothing is printed."""
    pitch = _row_pitch(layout)
    seen = [key for key in column if located[key].found]  # a box not seen may sit anywhere
    found_at = [located[key].y for key in seen]
    printed_at = [m.px(rects[key]["x"], rects[key]["y"])[1] for key in seen]
    steps = np.diff(found_at) - np.diff(printed_at)
    if steps.size and float(np.abs(steps).max()) >= 0.5 * pitch * CANON_PPM:
        return True
    printed = [*rects.values(), *(w["boxes"]["yes"] for w in layout["write_ins"])]
    ends = [(column[0], -pitch)]
    last = rects[column[-1]]
    below = [r for r in printed
             if abs(r["x"] - last["x"]) < last["w"] and 0 < r["y"] - last["y"] <= 1.5 * pitch]
    if not below:
        ends.append((column[-1], pitch))
    typical = float(np.median([located[key].border for key in column]))
    for key, offset in ends:
        rect = rects[key]
        beyond = locate_box(m, {**rect, "y": rect["y"] + offset}, prior=located[key].shift)
        if located[key].found and beyond.found and beyond.border >= BEYOND_SHARE * typical:
            return True
    return False


def _measure_boxes(m: InkMap, layout: Mapping[str, Any], blur_mm: float
                   ) -> tuple[dict[tuple[str, str], BoxInk], list[BoxInk], list[tuple[float, float]]]:
    """Every box located first; the page's grain measured inside them where they really
    are (a curled page moves them off the homography's places); then each measured."""
    located, slipped = _locate_boxes(m, layout)
    m = with_box_noise(m, list(located.values()))
    boxes = {(candidate["ref"], side): measure_box(m, rect, _gaps(layout, rect, candidate["row"]), blur_mm,
                                                   at=located[(candidate["ref"], side)])
             for candidate in layout["candidates"] for side, rect in candidate["boxes"].items()}
    trend = _rows_trend(layout, located)
    write_in_boxes, names = [], []
    for w in layout["write_ins"]:
        prior = _trend_shift(trend, w["boxes"]["yes"])
        box = measure_box(m, w["boxes"]["yes"], _gaps(layout, w["boxes"]["yes"], w["row"]), blur_mm,
                          shaded_beside=True, at=locate_box(m, w["boxes"]["yes"], prior=prior))
        # On a page that bent a whole row somewhere, no write-in row is known to be where
        # the trend puts it: a person looks at each.
        write_in_boxes.append(replace(box, found=False) if slipped else box)
        # The name area moves as the trend predicts there, plus what its row's box
        # search found beyond the prediction.
        dx, dy = _trend_shift(trend, w["name_area"])
        names.append(((dx - prior[0]) / CANON_PPM + box.shift_mm[0],
                      (dy - prior[1]) / CANON_PPM + box.shift_mm[1]))
    return boxes, write_in_boxes, names


def _candidate_boxes(layout: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, float]]:
    return {(c["ref"], side): rect for c in layout["candidates"] for side, rect in c["boxes"].items()}


def _rows_trend(layout: Mapping[str, Any], located: Mapping[tuple[str, str], Located]) -> np.ndarray | None:
    """Where the candidate boxes were found (those whose border was seen, in columns not
    found a row off), as one projective map (page mm → page mm as seen through the
    homography), fitted with RANSAC so a few boxes found astray do not count; None when
    every box sat within the search of where the homography put it. On a page whose
    rows had to be followed far (a wrong corner square taken on the table, a bend), the
    write-in rows are then looked for where this trend puts them, not a row off."""
    rects = {key: rect for key, rect in _candidate_boxes(layout).items() if located[key].found}
    if not layout["write_ins"] or len(rects) < TREND_MIN_BOXES:
        return None
    shifts = np.array([located[k].shift for k in rects], np.float64)
    if np.abs(shifts).max() < SEARCH_END_PX:
        return None
    printed = np.array([_centre(rect) for rect in rects.values()])
    seen = printed + shifts / CANON_PPM
    fit, _inliers = cv2.findHomography(printed.astype(np.float32), seen.astype(np.float32), cv2.RANSAC,
                                       TREND_RANSAC_MM)
    return fit


def _trend_shift(trend: np.ndarray | None, rect: Mapping[str, float]) -> tuple[int, int]:
    """How far the trend moves `rect`'s centre from where the homography puts it (pixels)."""
    if trend is None:
        return 0, 0
    centre = np.array([_centre(rect)])
    dx, dy = ((project(trend, centre) - centre) * CANON_PPM)[0]
    return int(round(dx)), int(round(dy))


def _centre(rect: Mapping[str, float]) -> tuple[float, float]:
    return rect["x"] + rect["w"] / 2, rect["y"] + rect["h"] / 2


def _read_boxes(gray: np.ndarray, layout: Mapping[str, Any], alignment: Alignment) -> dict[str, Any]:
    ratio = alignment.ink / max(alignment.paper, 1.0)
    m = ink_map(gray, alignment.h, table_region(layout), ratio, beyond_mm=_row_pitch(layout))
    boxes, write_in_boxes, name_shifts = _measure_boxes(m, layout, alignment.blur_mm)
    # A box is found when its border is at least a fraction as sharp as the page's
    # typical box border (blur softens every border alike, a misplaced search does not).
    typical = float(np.median([b.border for b in [*boxes.values(), *write_in_boxes]]))
    boxes = {k: replace(b, found=b.found and b.border >= BORDER_SHARE * typical) for k, b in boxes.items()}
    write_in_boxes = [replace(b, found=b.found and b.border >= BORDER_SHARE * typical)
                      for b in write_in_boxes]
    _check_glare(m, layout, boxes)
    # The page's own empty boxes: in each candidate row at least one box is empty (a
    # row marked twice is left to a person anyway), so the lighter box of every row
    # shows what an empty box looks like in this photo.
    baseline = empty_boxes([min(boxes[(c["ref"], "yes")], boxes[(c["ref"], "no")], key=lambda b: b.score)
                            for c in layout["candidates"] if boxes[(c["ref"], "yes")].found
                            and boxes[(c["ref"], "no")].found])
    if baseline.score > GRAINY_EMPTY:
        # The empty boxes themselves read as grey: the photo's grain (too little light,
        # a camera pushing its gain) is as strong as a pencil mark, so none can be told.
        raise ScanError("too_dark")

    marks, scores, review = {}, {}, []
    confidences = [1.0]
    first = {key: judge_box(box, baseline) for key, box in boxes.items()}
    settled = settle_lone_strokes(boxes, settle_by_page(boxes, first, baseline), baseline,
                                  [((c["ref"], "yes"), (c["ref"], "no")) for c in layout["candidates"]])
    verdicts = {c["ref"]: (settled[(c["ref"], "yes")], settled[(c["ref"], "no")])
                for c in layout["candidates"]}
    if baseline.score > GRAINY_BLANK and all(v.state == "empty" for v in settled.values()):
        # Not one mark on a grainy page: a light pencil voter's marks may be lost in
        # the grain (a blank ballot is rare); more light lets them show.
        raise ScanError("too_dark")
    hidden = marks_may_hide(boxes, settled, baseline)
    for candidate in layout["candidates"]:
        ref = candidate["ref"]
        yes, no = verdicts[ref]
        verdict, reason, confidence = judge_candidate(yes, no)
        if verdict == "abstain" and hidden:
            verdict, reason = "unsure", "faint"
        if verdict != "unsure" and confidence < LOW_CONFIDENCE:
            verdict, reason = "unsure", "low_confidence"
        marks[ref] = verdict
        scores[ref] = {"yes": round(yes.score, 3), "no": round(no.score, 3)}
        if reason:
            review.append({"ref": ref, "reason": reason})
        else:
            confidences.append(confidence)
    write_ins = []
    for layout_row, box, name_shift in zip(layout["write_ins"], write_in_boxes, name_shifts, strict=True):
        index = layout_row["index"]
        box_verdict = judge_box(box, baseline)
        mark, reason = judge_write_in_mark(box_verdict)
        name_area = {**layout_row["name_area"], "x": layout_row["name_area"]["x"] + name_shift[0],
                     "y": layout_row["name_area"]["y"] + name_shift[1]}
        has_name, clean = _name_in(m, name_area)
        if has_name is None:
            has_name, reason = True, reason or "unsure_name"
        if clean and box_verdict.state in ("empty", "faint", "smudged"):
            # Not a trace of writing in the name area, even at the faintest level: the
            # row counts for no one whatever its ○ box holds (a write-in is a name, R3),
            # so a doubtful box there (the shaded cell beside it greys an empty box on a
            # dim photo) needs no person.
            mark, reason = "none", None
        if mark == "yes" and not has_name:
            reason = reason or "mark_without_name"
        if reason:
            review.append({"write_in": index, "reason": reason})
        elif box_verdict.confidence:
            confidences.append(box_verdict.confidence)
        write_ins.append({
            "index": index, "has_name": has_name, "mark": mark, "score": round(box_verdict.score, 3),
            "name_crop": "data:image/png;base64,"
                         + base64.b64encode(crop_png(m, name_area)).decode("ascii"),
        })
    # The page's confidence: the least sure of the decided readings, lowered when the
    # alignment or the focus is borderline.
    alignment_factor = 1.0 - 0.1 * max(0.0, alignment.qr_error_mm - 1.5)
    blur_factor = 1.0 - 0.5 * max(0.0, alignment.blur_mm - 0.35)
    confidence = min(confidences) * alignment_factor * blur_factor
    return {"marks": marks, "scores": scores, "write_ins": write_ins, "needs_review": review,
            "confidence": round(max(0.0, min(1.0, confidence)), 3)}


def _name_in(m: InkMap, area: dict[str, float]) -> tuple[bool | None, bool]:
    """Whether a name is written in `area`: True, False, or None (unsure: a person
    reads it); and whether the area is clean (no trace of ink at the faintest level).
    Pen ink first; then strokes above the page's own light level (a name in pencil is
    lighter than pen ink); then, on a 1 mm mean, anything standing out from the
    page's grain (a light pencil on a dim, grainy photo, whose light level the grain
    has raised above the pencil's ink). Under R3's write_in_needs_yes_mark = false a
    name without a ○ counts, so a name found only at a lighter level is left to a
    person, never dropped."""
    dark, span, flat = name_ink(m, area)
    some = not (dark < NO_NAME_DARK or span < NO_NAME_SPAN_MM)
    if some and flat:  # a printed line's remnant or a broken-up name: a person reads it
        return None, False
    if dark >= NAME_DARK and span >= NAME_SPAN_MM:
        # Pen strokes stand out from the paper beside them; a dark shade over the area
        # (a shadow on a dim, grainy photo) passes the fixed level but does not.
        local, local_span, _ = name_ink(m, area, NAME_PEN_LOCAL, local=True)
        if local < NO_NAME_DARK or local_span < NO_NAME_SPAN_MM:
            return None, False
        return True, False
    if some:
        return None, False
    level = max(NAME_LIGHT, m.light_level - 1.5 * m.noise)
    light, light_span, _ = name_ink(m, area, level)
    if light >= NAME_DARK and light_span >= NAME_SPAN_MM:
        return None, False
    faint, faint_span, _ = name_ink(m, area, max(NAME_FAINT, NAME_FAINT_NOISE * m.noise), NAME_FAINT_MEAN_PX)
    if not (faint < NO_NAME_DARK or faint_span < NO_NAME_SPAN_MM):
        # Faint ink, or a shadow's smooth shade the paper estimate did not follow:
        # writing also stands out from its own surroundings, a shade does not.
        local, local_span, _ = name_ink(m, area, max(NAME_LOCAL, NAME_LOCAL_NOISE * m.noise),
                                        NAME_FAINT_MEAN_PX, local=True)
        if not (local < NO_NAME_DARK or local_span < NO_NAME_SPAN_MM):
            return None, False
    return False, True
