"""Reading one scanned page: skip a blank back, read the ballot with the photo reader
(the reader's public entry point, app.scan.read_ballot), turning the page over when it
went through the feeder upside down, and draw the reading over a small upright copy of
the page for the reviewer. Runs in a worker process: no database, no Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from app.ballots.layout import Rect, RoundLayout
from app.ballots.serials import Payload
from app.scan import ScanError, read_ballot
from app.scan.image import Photo

from .sources import PageSource, SourceError

PREVIEW_PPM = 3.8          # preview pixels per mm: 800 px across an A4 page
BLANK_INK_SHARE = 0.0008   # below this share of inked pixels a page is blank
INK_LEVEL = 60             # grey levels below the paper that count as ink
STREAK_LEVEL = 12          # a column whose brightest tenth is this much below the paper
_READ_LIMIT_BYTES = 64 * 1024 * 1024
_READ_LIMIT_PIXELS = 40_000_000

# The reader's refusals, as the batch names them (the reject list words them).
REFUSALS = {
    "no_ballot_found": "not_a_ballot", "not_ours": "not_a_ballot", "not_an_image": "unreadable",
    "bad_tag": "forged", "other_contest": "other_round", "other_round": "other_round",
    "too_dark": "unreadable", "too_blurred": "unreadable", "page_cut_off": "unreadable",
    "image_too_large": "unreadable",
}
# Worth turning the page over for: the reader found nothing it could use this way up.
_TRY_TURNED = {"no_ballot_found", "page_cut_off", "too_blurred", "too_dark"}


@dataclass(frozen=True)
class RoundInfo:
    round_id: int
    contest_id: int
    layout: RoundLayout
    key: str


class _OtherRound(Exception):
    pass


def is_blank(gray: np.ndarray) -> bool:
    """A page with (next to) no ink: the empty back of a duplex scan. A copier's dust
    streak is a dark line down the whole page; measuring each pixel's darkness against
    its own column's median removes it (and any even tint) before counting ink. The
    page is looked at about 300 pixels across (a whole-number step: the cheap resize)."""
    step = max(1, gray.shape[1] // 300)
    width, height = gray.shape[1] // step, gray.shape[0] // step
    small = cv2.resize(gray[:height * step, :width * step], (width, height), interpolation=cv2.INTER_AREA)
    darkness = np.median(small, axis=0, keepdims=True) - small.astype(np.float32)
    return float(np.mean(darkness > INK_LEVEL)) < BLANK_INK_SHARE


def remove_streaks(gray: np.ndarray) -> np.ndarray:
    """Undo a copier's dust streak: a column darkened down the whole page. Printing never
    darkens a column from top to bottom (there is always margin), so a column whose
    brightest tenth is still darker than the paper is a streak; its gain is restored to
    the paper's. Without this, a streak through the box column makes every box in it
    look faintly marked."""
    bright = np.percentile(gray[::4], 90, axis=0).astype(np.float32)  # every 4th row is plenty
    paper = float(np.median(bright))
    dark = bright < paper - STREAK_LEVEL
    if not dark.any():
        return gray
    fixed = gray.astype(np.float32)
    fixed[:, dark] *= paper / np.maximum(bright[dark], 1.0)
    return np.clip(fixed, 0, 255).astype(np.uint8)


def read_page(source: PageSource, index: int, info: RoundInfo) -> dict[str, Any]:
    """The staged reading of page `index` (0-based): see runner.PAGE_KEYS."""
    result: dict[str, Any] = {"page": index + 1, "serial": None, "refused": None, "marks": {},
                              "write_ins": [], "review": [], "unsure_rows": 0,
                              "needs_person": False, "jpeg": None}
    try:
        gray = source.render(index)
    except (SourceError, OSError, ValueError, MemoryError):
        return {**result, "refused": "unreadable"}
    except Exception:  # noqa: BLE001  (a renderer's own error on a damaged page)
        return {**result, "refused": "unreadable"}
    if is_blank(gray):
        return {**result, "refused": "blank_page"}
    gray = remove_streaks(gray)
    reading, image, refusal = _read_either_way_up(gray, info)
    if reading is None:
        return {**result, "refused": refusal, "jpeg": _plain_preview(gray)}
    marks = {ref: mark for ref, mark in reading["marks"].items()}
    write_ins = [{"row": item["index"], "mark": item["mark"], "has_name": bool(item["has_name"])}
                 for item in reading["write_ins"]]
    unsure = sum(1 for mark in marks.values() if mark == "unsure") + \
        sum(1 for item in write_ins if item["mark"] == "unsure")
    review = list(reading.get("needs_review") or [])
    needs_person = bool(unsure or review or any(item["has_name"] for item in write_ins))
    return {**result, "serial": reading["serial"], "marks": marks, "write_ins": write_ins,
            "review": review, "unsure_rows": unsure, "needs_person": needs_person,
            "jpeg": _drawn_preview(image, reading, info.layout)}


def _read_either_way_up(gray: np.ndarray, info: RoundInfo
                        ) -> tuple[dict[str, Any] | None, np.ndarray, str | None]:
    """(reading, the image it was read from, None) or (None, page, refusal code)."""
    first: str | None = None
    for image in (gray, np.ascontiguousarray(gray[::-1, ::-1])):
        try:
            return _read(image, info), image, None
        except _OtherRound:
            return None, gray, "other_round"
        except ScanError as error:
            if first is None:
                first = error.code
            if error.code not in _TRY_TURNED:
                return None, gray, REFUSALS.get(error.code, "unreadable")
    return None, gray, REFUSALS.get(first or "", "unreadable")


def _read(image: np.ndarray, info: RoundInfo) -> dict[str, Any]:
    """The reader on the rendered page as it is (no image file in between)."""
    def layout_for(payload: Payload) -> RoundLayout:
        if payload.contest_id != info.contest_id or payload.round_id != info.round_id:
            raise _OtherRound()
        return info.layout

    check: Callable[[Payload], RoundLayout] = layout_for
    photo = Photo(gray=image, size=(image.shape[1], image.shape[0]), scale=1.0)
    return read_ballot(photo, key=info.key, layout_for=check,
                       max_bytes=_READ_LIMIT_BYTES, max_pixels=_READ_LIMIT_PIXELS)


def _jpeg(image: np.ndarray, quality: int = 72) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return data.tobytes() if ok else b""


def _plain_preview(gray: np.ndarray) -> bytes:
    width = round(210 * PREVIEW_PPM)
    height = round(gray.shape[0] * width / gray.shape[1])
    return _jpeg(cv2.resize(gray, (width, height), interpolation=cv2.INTER_AREA))


# Colours (BGR) of the drawn reading: approve green, disapprove red, unsure amber.
_COLOURS = {"yes": (40, 150, 40), "no": (40, 40, 200), "unsure": (0, 160, 255)}


def _drawn_preview(image: np.ndarray, reading: dict[str, Any], layout: RoundLayout) -> bytes:
    """The page straightened into page coordinates (whatever way up it was scanned),
    with a frame on every box read as marked and an amber band on every unsure row."""
    ppm = PREVIEW_PPM
    size = (round(layout["page"]["width"] * ppm), round(layout["page"]["height"] * ppm))
    to_image = np.array(reading["page_to_image"], dtype=np.float64) @ np.diag([1 / ppm, 1 / ppm, 1.0])
    upright = cv2.warpPerspective(image, to_image, size, flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP,
                                  borderValue=255)
    canvas = cv2.cvtColor(upright, cv2.COLOR_GRAY2BGR)

    def rect(r: Rect, grow: float = 0.8) -> tuple[tuple[int, int], tuple[int, int]]:
        return ((round((r["x"] - grow) * ppm), round((r["y"] - grow) * ppm)),
                (round((r["x"] + r["w"] + grow) * ppm), round((r["y"] + r["h"] + grow) * ppm)))

    overlay = canvas.copy()
    for candidate in layout["candidates"]:
        mark = reading["marks"].get(candidate["ref"])
        if mark == "unsure":
            cv2.rectangle(overlay, *rect(candidate["row"], 0.0), _COLOURS["unsure"], -1)
    for item in reading["write_ins"]:
        if item["mark"] == "unsure" or item.get("has_name"):
            row = next((w for w in layout["write_ins"] if w["index"] == item["index"]), None)
            if row is not None:
                cv2.rectangle(overlay, *rect(row["row"], 0.0), _COLOURS["unsure"], -1)
    canvas = cv2.addWeighted(overlay, 0.35, canvas, 0.65, 0)
    for candidate in layout["candidates"]:
        mark = reading["marks"].get(candidate["ref"])
        if mark == "yes" or mark == "no":
            box = candidate["boxes"]["yes"] if mark == "yes" else candidate["boxes"]["no"]
            cv2.rectangle(canvas, *rect(box), _COLOURS[mark], 3)
    for item in reading["write_ins"]:
        if item["mark"] == "yes":
            row = next((w for w in layout["write_ins"] if w["index"] == item["index"]), None)
            if row is not None:
                cv2.rectangle(canvas, *rect(row["boxes"]["yes"]), _COLOURS["yes"], 3)
    return _jpeg(canvas)
