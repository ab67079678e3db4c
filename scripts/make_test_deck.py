"""The photo reader's test deck: photos of filled ballots with known marks.

Each sample starts from a real printed page (the ballot PDF rendered to an image with
pypdfium2), gets marks drawn the way voters draw them (○, ×, ✓, a filled box, light
pencil, a stray mark beside a box, a corrected mark, a mark spilling over a box edge,
handwritten write-in names), and is then "photographed": placed on a cluttered table at
any of the four orientations plus up to ±15°, with perspective, a fold, a lighting
gradient and a shadow, blur, noise and JPEG compression. Everything is drawn from one
seed, so a deck is the same on every machine.

    .venv/bin/python scripts/make_test_deck.py --count 20 --out /tmp/deck [--hard]

writes the photos and a truth.json beside them. Tests import `make_deck` instead.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.ballots.layout import Entry, ballot_layout  # noqa: E402
from app.ballots.serials import sign  # noqa: E402

DECK_KEY = "test-deck-ballot-key"
PAGE_PPM = 6.0  # pixels per mm of the rendered page (≈152 dpi): finer than any photo

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红玉梅文斌辉鹏飞晨雪琳婷宇浩"


# --------------------------------------------------------------------------- the ballot

@dataclass
class Ballot:
    layout: dict[str, Any]
    payload: str
    contest_id: int
    round_id: int
    serial: str


def make_ballot(rng: random.Random, candidates: int, write_ins: int,
                contest_id: int = 3, round_id: int = 12) -> Ballot:
    names: list[str] = []
    while len(names) < candidates:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in names:
            names.append(name)
    entries = [Entry(ref=f"c{i + 1}", name=name) for i, name in enumerate(names)]
    seats = max(1, candidates - 1)
    layout = ballot_layout(title="第五届工会委员会委员选举票", round_label="第一轮", seats=seats,
                           entries=entries, write_in_rows=write_ins)
    serial = _serial(rng)
    payload = sign(DECK_KEY, contest_id, round_id, serial).text()
    return Ballot(layout, payload, contest_id, round_id, serial)


def _serial(rng: random.Random) -> str:
    from app.ballots.serials import ALPHABET

    raw = "".join(rng.choice(ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@lru_cache(maxsize=32)
def _font(size_px: int):
    from PIL import ImageFont

    return ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", size_px)


def render_page(ballot: Ballot, ppm: float = PAGE_PPM) -> np.ndarray:
    """The printed page as a grayscale image at `ppm` pixels per mm: the real PDF when the
    renderer exists (app.ballots.pdf), else a faithful drawing of the same layout."""
    pdf = _render_pdf(ballot, ppm)
    if pdf is not None:
        return pdf
    return _draw_layout(ballot, ppm)


def _render_pdf(ballot: Ballot, ppm: float) -> np.ndarray | None:
    try:
        from app.ballots.pdf import render_ballots  # the real printer (ballots area)
    except ImportError:
        return None
    import io

    import pypdfium2 as pdfium

    buffer = io.BytesIO()
    render_ballots(ballot.layout, [(ballot.payload, ballot.serial)], buffer)
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        bitmap = document[0].render(scale=ppm * 25.4 / 72, grayscale=True)  # px per PDF point
        return np.array(bitmap.to_pil().convert("L"))
    finally:
        document.close()


def _draw_layout(ballot: Ballot, ppm: float) -> np.ndarray:
    import qrcode
    from PIL import Image, ImageDraw

    layout = ballot.layout
    width, height = round(layout["page"]["width"] * ppm), round(layout["page"]["height"] * ppm)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)

    def box(rect: dict[str, float]) -> tuple[float, float, float, float]:
        return (rect["x"] * ppm, rect["y"] * ppm, (rect["x"] + rect["w"]) * ppm,
                (rect["y"] + rect["h"]) * ppm)

    for mark in layout["marks"]:
        draw.rectangle(box(mark), fill=0)
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, box_size=1)
    qr.add_data(ballot.payload)
    qr.make(fit=True)
    matrix = np.array(qr.get_matrix(), dtype=bool)
    side = round(layout["qr"]["w"] * ppm)
    modules = cv2.resize((~matrix).astype(np.uint8) * 255, (side, side),
                         interpolation=cv2.INTER_NEAREST)
    page.paste(Image.fromarray(modules), (round(layout["qr"]["x"] * ppm), round(layout["qr"]["y"] * ppm)))
    line = max(1, round(0.3 * ppm))
    draw.text((layout["code"]["x"] * ppm, layout["code"]["y"] * ppm), ballot.serial, fill=0,
              font=_font(round(4 * ppm)))
    draw.text((layout["title"]["x"] * ppm, layout["title"]["y"] * ppm), layout["title"]["text"],
              fill=0, font=_font(round(7 * ppm)))
    for index, text in enumerate(layout["instructions"]["lines"]):
        draw.text((layout["instructions"]["x"] * ppm, (layout["instructions"]["y"] + index * 6) * ppm),
                  text[:40], fill=0, font=_font(round(3.5 * ppm)))
    for column in layout["table"]["columns"]:
        draw.text((column["x"] * ppm, column["y"] * ppm), "候选人姓名", fill=0, font=_font(round(4 * ppm)))
        draw.text((column["yes_x"] * ppm, column["y"] * ppm), "赞成", fill=0, font=_font(round(4 * ppm)))
        draw.text((column["no_x"] * ppm, column["y"] * ppm), "不赞成", fill=0, font=_font(round(4 * ppm)))
    for candidate in layout["candidates"]:
        row = candidate["row"]
        draw.line([(row["x"] * ppm, (row["y"] + row["h"]) * ppm),
                   ((row["x"] + row["w"]) * ppm, (row["y"] + row["h"]) * ppm)], fill=120, width=1)
        size = min(5.0, row["h"] * 0.6)
        draw.text((candidate["name_area"]["x"] * ppm, (row["y"] + (row["h"] - size) / 2 - 0.6) * ppm),
                  candidate["name"], fill=0, font=_font(round(size * ppm)))
        for rect in candidate["boxes"].values():
            draw.rectangle(box(rect), outline=0, width=line)
    for write_in in layout["write_ins"]:
        area = write_in["name_area"]
        draw.line([(area["x"] * ppm, (area["y"] + area["h"]) * ppm),
                   ((area["x"] + area["w"]) * ppm, (area["y"] + area["h"]) * ppm)], fill=0, width=line)
        draw.rectangle(box(write_in["boxes"]["yes"]), outline=0, width=line)
    return np.array(page)


# --------------------------------------------------------------------------- the voter

MARK_KINDS = ("circle", "cross", "check", "fill")


@dataclass
class Truth:
    """What a careful teller reads on the paper. `clear` is False for marks the reader
    may honestly call unsure (light pencil, a stray mark, a correction, a spill)."""

    marks: dict[str, str] = field(default_factory=dict)
    clear: dict[str, bool] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    write_ins: list[dict[str, Any]] = field(default_factory=list)


def _pen(rng: random.Random) -> tuple[int, float]:
    """Ink grey level and stroke width (mm) of a ballpoint or gel pen."""
    return rng.randint(10, 70), rng.uniform(0.35, 0.7)


def _draw_symbol(img: np.ndarray, kind: str, rect: dict[str, float], ppm: float,
                 rng: random.Random, ink: int, width_mm: float, spill: float = 0.0) -> None:
    """Draw one voter's mark in `rect` (mm). `spill` > 0 makes it overrun the box edge."""
    x, y, w, h = rect["x"], rect["y"], rect["w"], rect["h"]
    cx, cy = x + w / 2 + rng.uniform(-0.08, 0.08) * w, y + h / 2 + rng.uniform(-0.08, 0.08) * h
    thick = max(1, round(width_mm * ppm))
    scale = rng.uniform(0.55, 0.8) + spill
    shift = 4

    def pt(px: float, py: float) -> tuple[int, int]:
        return round(px * ppm * (1 << shift)), round(py * ppm * (1 << shift))

    if kind == "circle":
        rx, ry = w / 2 * scale, h / 2 * scale
        start = rng.uniform(0, 360)
        cv2.ellipse(img, pt(cx, cy), (round(rx * ppm * 16), round(ry * ppm * 16)), rng.uniform(-10, 10),
                    start, start + rng.uniform(330, 380), ink, thick, cv2.LINE_AA, shift)
    elif kind == "cross":
        r = min(w, h) / 2 * scale
        for sign_ in (1, -1):
            a = (cx - r * rng.uniform(0.9, 1.1), cy - sign_ * r * rng.uniform(0.9, 1.1))
            b = (cx + r * rng.uniform(0.9, 1.1), cy + sign_ * r * rng.uniform(0.9, 1.1))
            cv2.line(img, pt(*a), pt(*b), ink, thick, cv2.LINE_AA, shift)
    elif kind == "check":
        r = min(w, h) / 2 * scale
        a, b, c = (cx - r, cy), (cx - r * 0.3, cy + r * 0.9), (cx + r * 1.2, cy - r)
        cv2.polylines(img, [np.array([pt(*a), pt(*b), pt(*c)], np.int32)], False, ink, thick,
                      cv2.LINE_AA, shift)
    elif kind == "fill":
        inset = 0.12 + rng.uniform(0, 0.08)
        x0, x1, y0, y1 = x + w * inset, x + w * (1 - inset), y + h * inset, y + h * (1 - inset)
        poly = np.array([pt(x0, y0), pt(x1, y0), pt(x1, y1), pt(x0, y1)], np.int32)
        cv2.fillPoly(img, [poly], ink, cv2.LINE_AA, shift)
    elif kind == "scribble":  # a correction: the box scratched out
        for _ in range(7):
            a = (x + w * rng.uniform(0.1, 0.9), y + h * rng.uniform(0.1, 0.9))
            b = (x + w * rng.uniform(0.1, 0.9), y + h * rng.uniform(0.1, 0.9))
            cv2.line(img, pt(*a), pt(*b), ink, thick, cv2.LINE_AA, shift)


def _handwriting(img: np.ndarray, area: dict[str, float], ppm: float, rng: random.Random,
                 ink: int) -> None:
    """A written name: two to three CJK characters in a handwriting-like font size."""
    from PIL import Image, ImageDraw

    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    size = round(min(area["h"] * 0.75, 6.0) * ppm)
    x0, y0 = round((area["x"] + rng.uniform(1, 6)) * ppm), round((area["y"] + area["h"] * 0.1) * ppm)
    tile = Image.new("L", (size * 4, size + size // 2), 255)
    ImageDraw.Draw(tile).text((0, 0), name, fill=ink, font=_font(size))
    patch = np.array(tile)
    h, w = patch.shape
    h, w = min(h, img.shape[0] - y0), min(w, img.shape[1] - x0)
    np.minimum(img[y0:y0 + h, x0:x0 + w], patch[:h, :w], out=img[y0:y0 + h, x0:x0 + w])


def fill_ballot(page: np.ndarray, layout: dict[str, Any], rng: random.Random, *,
                hard: bool = False, ppm: float = PAGE_PPM) -> tuple[np.ndarray, Truth]:
    """Mark a printed page like a voter, returning the marked page and what it says."""
    img = page.copy()
    truth = Truth()
    ink, width = _pen(rng)
    odd_rate = 0.15 if hard else 0.04
    for candidate in layout["candidates"]:
        ref = candidate["ref"]
        boxes = candidate["boxes"]
        choice = rng.choices(("yes", "no", "abstain"), (0.55, 0.25, 0.2))[0]
        truth.marks[ref], truth.clear[ref] = choice, True
        kind = rng.choice(MARK_KINDS)
        truth.kinds[ref] = kind if choice != "abstain" else "none"
        if choice != "abstain":
            _draw_symbol(img, kind, boxes[choice], ppm, rng, ink, width)
        if rng.random() < odd_rate:
            odd = rng.choice(("pencil", "stray", "corrected", "spill") if choice != "abstain"
                             else ("stray", "pencil_abstain"))
            truth.clear[ref] = False
            truth.kinds[ref] = odd
            if odd == "pencil":  # redraw the mark in light pencil instead of pen
                _erase(img, page, boxes[choice], ppm)
                _draw_symbol(img, rng.choice(("circle", "cross", "check")), boxes[choice], ppm, rng,
                             rng.randint(150, 200), rng.uniform(0.25, 0.4))
            elif odd == "pencil_abstain":  # a faint pencil mark in an otherwise empty row
                side = rng.choice(("yes", "no"))
                _draw_symbol(img, "check", boxes[side], ppm, rng, rng.randint(140, 185), 0.3)
                truth.marks[ref] = side  # a mark is there, however faint: reading it or asking is right
            elif odd == "stray":  # a dot or short dash beside a box, outside it
                rect = boxes[rng.choice(("yes", "no"))]
                sx = rect["x"] + rect["w"] + rng.uniform(0.8, 2.0) if rng.random() < 0.5 else \
                    rect["x"] - rng.uniform(0.8, 2.0)
                sy = rect["y"] + rect["h"] * rng.uniform(0.2, 0.8)
                cv2.line(img, (round(sx * ppm), round(sy * ppm)),
                         (round(sx * ppm), round((sy + rng.uniform(0.5, 1.5)) * ppm)), ink,
                         max(1, round(width * ppm)), cv2.LINE_AA)
            elif odd == "corrected":  # the first choice scratched out, the other box marked
                other = "no" if choice == "yes" else "yes"
                _draw_symbol(img, "scribble", boxes[choice], ppm, rng, ink, width)
                _draw_symbol(img, rng.choice(MARK_KINDS), boxes[other], ppm, rng, ink, width)
                truth.marks[ref] = "unsure"  # 涂改: only a person may decide (R3)
            elif odd == "spill":  # a big mark running over the box edge
                _erase(img, page, boxes[choice], ppm)
                _draw_symbol(img, rng.choice(("circle", "cross")), boxes[choice], ppm, rng, ink, width,
                             spill=rng.uniform(0.4, 0.6))
    for write_in in layout["write_ins"]:
        has_name = rng.random() < 0.5
        marked = has_name and rng.random() < 0.8
        entry = {"index": write_in["index"], "has_name": has_name, "mark": "yes" if marked else "none",
                 "clear": True}
        if has_name:
            _handwriting(img, write_in["name_area"], ppm, rng, ink)
        if marked:
            _draw_symbol(img, rng.choice(MARK_KINDS), write_in["boxes"]["yes"], ppm, rng, ink, width)
        truth.write_ins.append(entry)
    return img, truth


def _erase(img: np.ndarray, page: np.ndarray, rect: dict[str, float], ppm: float,
           margin: float = 0.2) -> None:
    y0, y1 = round((rect["y"] - margin) * ppm), round((rect["y"] + rect["h"] + margin) * ppm)
    x0, x1 = round((rect["x"] - margin) * ppm), round((rect["x"] + rect["w"] + margin) * ppm)
    img[y0:y1, x0:x1] = page[y0:y1, x0:x1]


# --------------------------------------------------------------------------- the camera

def photograph(page: np.ndarray, rng: random.Random, *, size: tuple[int, int] = (1600, 1200),
               hard: bool = False, ppm: float = PAGE_PPM) -> tuple[bytes, np.ndarray]:
    """A hand-held photo of `page` on a table; returns JPEG bytes and the page-mm → image
    homography that was used (the truth for alignment checks)."""
    out_w, out_h = size
    ph, pw = page.shape
    page_mm = np.array([[0, 0], [pw / ppm, 0], [pw / ppm, ph / ppm], [0, ph / ppm]], np.float64)
    # Where the page's corners land: centred, turned by k·90° ± up to 15°, with perspective.
    quarter = rng.randrange(4)
    tilt = rng.uniform(-15, 15)
    angle = math.radians(quarter * 90 + tilt)
    # A teller holds the tablet the way the page lies (portrait frame for an upright or
    # upside-down page); the hard deck also has pages shot across a landscape frame.
    across = hard and rng.random() < 0.3
    if (quarter % 2 == 0) != across:
        out_w, out_h = min(size), max(size)
    else:
        out_w, out_h = max(size), min(size)
    long_px, short_px = (out_h, out_w) if quarter % 2 == 0 else (out_w, out_h)
    fill = rng.uniform(0.78, 0.92) if not hard else rng.uniform(0.6, 0.92)
    scale = fill * min(long_px / 297.0, short_px / 210.0)
    scale /= abs(math.cos(math.radians(tilt))) + abs(math.sin(math.radians(tilt))) * 0.71
    centre = np.array([out_w / 2 + rng.uniform(-0.04, 0.04) * out_w,
                       out_h / 2 + rng.uniform(-0.04, 0.04) * out_h])
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    corners = (page_mm - page_mm.mean(axis=0)) @ rot.T * scale + centre
    jitter = (0.05 if hard else 0.03) * scale * 210
    corners += np.array([[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)])
    h_mm = cv2.getPerspectiveTransform(page_mm.astype(np.float32), corners.astype(np.float32))
    to_px = np.diag([1 / ppm, 1 / ppm, 1.0])
    h_page = h_mm @ to_px

    photo = _table(rng, out_w, out_h, hard)
    src = page
    if rng.random() < (0.5 if hard else 0.3):
        src = _fold(page, rng, hard)
    warped = cv2.warpPerspective(src, h_page, (out_w, out_h), flags=cv2.INTER_AREA,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    mask = cv2.warpPerspective(np.full(page.shape, 255, np.uint8), h_page, (out_w, out_h),
                               flags=cv2.INTER_LINEAR, borderValue=0)
    alpha = mask.astype(np.float32) / 255.0
    photo = photo * (1 - alpha) + warped.astype(np.float32) * alpha
    photo = _light(photo, rng, hard)
    sigma = rng.uniform(0.0, 1.1 if not hard else 1.6)
    if sigma > 0.3:
        photo = cv2.GaussianBlur(photo, (0, 0), sigma)
    noise = rng.uniform(1.5, 4.0 if not hard else 7.0)
    photo += np.random.default_rng(rng.randrange(1 << 30)).normal(0, noise, photo.shape).astype(np.float32)
    gray = np.clip(photo, 0, 255).astype(np.uint8)
    tint = np.array([rng.uniform(0.9, 1.0), rng.uniform(0.95, 1.0), 1.0])  # warm room light (BGR)
    colour = np.clip(gray[:, :, None].astype(np.float32) * tint[None, None, :], 0, 255).astype(np.uint8)
    quality = rng.randint(55, 90) if not hard else rng.randint(35, 85)
    ok, jpeg = cv2.imencode(".jpg", colour, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return jpeg.tobytes(), h_mm


def _table(rng: random.Random, w: int, h: int, hard: bool) -> np.ndarray:
    """A table top with other paper, pens and dark squares lying around."""
    base = rng.uniform(60, 150)
    table = np.full((h, w), base, np.float32)
    grain = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, (h // 8 + 1, w // 8 + 1))
    table += cv2.resize(grain.astype(np.float32), (w, h))[:h, :w]
    for _ in range(rng.randint(2, 6 if not hard else 10)):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        sw, sh = rng.uniform(0.1, 0.5) * w, rng.uniform(0.1, 0.5) * h
        box = cv2.boxPoints(((cx, cy), (sw, sh), rng.uniform(0, 180))).astype(np.int32)
        cv2.fillPoly(table, [box], rng.uniform(180, 245))
        for _ in range(rng.randint(0, 8)):  # printed lines on the other paper
            x0, y0 = rng.uniform(cx - sw / 2, cx + sw / 2), rng.uniform(cy - sh / 2, cy + sh / 2)
            cv2.line(table, (int(x0), int(y0)), (int(x0 + rng.uniform(20, 200)), int(y0)), 30, 2)
        if rng.random() < 0.5:  # a dark square that is not ours
            side = rng.uniform(15, 45)
            cv2.rectangle(table, (int(cx), int(cy)), (int(cx + side), int(cy + side)), 20, -1)
    return table


def _light(photo: np.ndarray, rng: random.Random, hard: bool) -> np.ndarray:
    """Uneven room light: a gradient across the frame and sometimes a soft hand shadow."""
    h, w = photo.shape
    ys, xs = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    direction = rng.uniform(0, 2 * math.pi)
    ramp = (np.cos(direction) * xs / w + np.sin(direction) * ys / h)
    strength = rng.uniform(0.1, 0.35 if not hard else 0.5)
    gain = rng.uniform(0.8, 1.05) - strength * (ramp - ramp.min()) / (np.ptp(ramp) + 1e-6)
    if rng.random() < (0.35 if not hard else 0.6):
        shadow = np.zeros_like(gain)
        pts = np.array([[rng.uniform(0, w / 8), rng.uniform(0, h / 8)] for _ in range(4)], np.int32)
        cv2.fillPoly(shadow, [cv2.convexHull(pts)], rng.uniform(0.25, 0.45 if not hard else 0.55))
        gain -= cv2.GaussianBlur(shadow, (0, 0), 6)
    gain = cv2.resize(gain, (w, h), interpolation=cv2.INTER_LINEAR)
    return photo * np.clip(gain, 0.3, 1.1)


def _fold(page: np.ndarray, rng: random.Random, hard: bool) -> np.ndarray:
    """A page that was folded in half and flattened again: a crease that bends the paper
    by a little and darkens one side."""
    h, w = page.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.5:
        crease, coord, span = h * rng.uniform(0.4, 0.6), ys, h
    else:
        crease, coord, span = w * rng.uniform(0.4, 0.6), xs, w
    amount = rng.uniform(2, 6 if not hard else 10)  # pixels at 6 px/mm: up to ~1-1.7 mm
    bend = amount * np.exp(-((coord - crease) / (0.15 * span)) ** 2)
    if coord is ys:
        map_x, map_y = xs + bend * 0.3, ys + bend
    else:
        map_x, map_y = xs + bend, ys + bend * 0.3
    folded = cv2.remap(page, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    shade = np.where(coord > crease, rng.uniform(0.82, 0.95), 1.0).astype(np.float32)
    return (folded.astype(np.float32) * shade).astype(np.uint8)


# --------------------------------------------------------------------------- the deck

@dataclass
class Sample:
    name: str
    photo: bytes
    ballot: Ballot
    truth: Truth
    page_to_image: np.ndarray
    condition: str = "standard"   # the stress deck's camera condition (see make_stress_deck)
    voter: str = "pen"            # pen | thin_pen | hb_pencil | light_pencil
    damage: float = 1.0
    corners_in_view: bool = True  # all four corner squares wholly inside the photo


def make_deck(count: int, seed: int = 2026, *, hard: bool = False,
              size: tuple[int, int] = (1600, 1200)) -> list[Sample]:
    """`count` photos from `seed`. Ballots cycle through small and large contests, with
    and without write-in rows; each layout is printed once and filled many times."""
    rng = random.Random(seed)
    shapes = [(10, 2), (3, 1), (1, 0), (9, 0), (20, 3), (45, 5), (16, 2)]
    ballots = [make_ballot(rng, c, wi, contest_id=3 + i, round_id=12 + i) for i, (c, wi) in enumerate(shapes)]
    pages = [render_page(b) for b in ballots]
    deck = []
    for index in range(count):
        which = index % len(ballots)
        ballot = ballots[which]
        filled, truth = fill_ballot(pages[which], ballot.layout, rng, hard=hard)
        photo, h = photograph(filled, rng, size=size, hard=hard)
        deck.append(Sample(f"{'hard' if hard else 'deck'}-{index:04d}", photo, ballot, truth, h))
    return deck


# --------------------------------------------------------------------------- the stress deck
#
# What real tablet photos of real voters bring that the standard deck above does not:
# whole ballots marked in pencil (HB or light) on the dense 50-candidate page, thin pens,
# tilted shots with the corner squares near the frame's edge, motion blur, low light,
# glare, a curled page, pages printed at 95-100 % scale; each at a damage level 0.5-2.

STRESS_CONDITIONS = ("plain", "tilt_edge", "motion_blur", "low_light", "glare", "curl", "scale")
VOTERS = {  # ink grey level range, stroke width range (mm), grain (pencil texture)
    "pen": ((10, 70), (0.35, 0.7), 0.0),
    "thin_pen": ((20, 90), (0.18, 0.3), 0.0),
    "hb_pencil": ((95, 140), (0.25, 0.45), 0.35),
    "light_pencil": ((140, 180), (0.2, 0.35), 0.45),
}


def fill_ballot_as(page: np.ndarray, layout: dict[str, Any], rng: random.Random, voter: str,
                   ppm: float = PAGE_PPM) -> tuple[np.ndarray, Truth]:
    """Mark a page the way one voter with one writing tool does: ○ / ✓ for 赞成 and × for
    不赞成 mostly (as the printed instructions ask), any of them sometimes. Every mark is
    one a teller sees at a glance, so every row is `clear` (light pencil included: the
    reader may call it unsure, never abstain)."""
    (ink_lo, ink_hi), (w_lo, w_hi), grain = VOTERS[voter]
    ink, width = rng.randint(ink_lo, ink_hi), rng.uniform(w_lo, w_hi)
    layer = np.zeros(page.shape, np.uint8)  # stroke coverage, 255 = full stroke
    truth = Truth()
    for candidate in layout["candidates"]:
        ref = candidate["ref"]
        choice = rng.choices(("yes", "no", "abstain"), (0.5, 0.3, 0.2))[0]
        truth.marks[ref], truth.clear[ref] = choice, True
        if choice == "abstain":
            truth.kinds[ref] = "none"
            continue
        usual = "circle" if choice == "yes" else "cross"
        kind = usual if rng.random() < 0.6 else rng.choice(("circle", "cross", "check"))
        if voter == "pen" and rng.random() < 0.05:
            kind = "fill"
        truth.kinds[ref] = kind
        _draw_symbol(layer, kind, candidate["boxes"][choice], ppm, rng, 255, width)
    for write_in in layout["write_ins"]:
        has_name = rng.random() < 0.4
        marked = has_name and rng.random() < 0.85
        truth.write_ins.append({"index": write_in["index"], "has_name": has_name,
                                "mark": "yes" if marked else "none", "clear": True})
        if marked:
            _draw_symbol(layer, rng.choice(("circle", "check")), write_in["boxes"]["yes"], ppm, rng,
                         255, width)
    cover = layer.astype(np.float32) / 255.0
    if grain:  # graphite leaves a broken, grainy line
        noise = np.random.default_rng(rng.randrange(1 << 30)).uniform(1 - 2 * grain, 1, page.shape)
        cover *= np.clip(cv2.GaussianBlur(noise.astype(np.float32), (0, 0), 0.7), 0, 1)
    img = page.astype(np.float32)
    img = img * (1 - cover) + np.minimum(img, ink) * cover
    img = img.astype(np.uint8)
    for write_in, entry in zip(layout["write_ins"], truth.write_ins, strict=True):
        if entry["has_name"]:
            _handwriting(img, write_in["name_area"], ppm, rng, min(ink + 20, 150))
    return img, truth


def _curl(page: np.ndarray, rng: random.Random, damage: float, ppm: float) -> np.ndarray:
    """A page whose one edge lifts off the table: near that edge the paper bends up
    towards the camera, so content there is pulled in and shifted by a few mm."""
    h, w = page.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    side = rng.choice(("left", "right", "bottom"))
    zone = rng.uniform(0.3, 0.5)
    u = {"left": 1 - xs / w, "right": xs / w, "bottom": ys / h}[side]
    u = np.clip((u - (1 - zone)) / zone, 0, 1)
    pull = rng.uniform(1.5, 2.5) * damage * ppm * u ** 2   # towards the page's middle
    drift = rng.uniform(-1.0, 1.0) * damage * ppm * u ** 2  # and along the edge
    if side == "right":
        map_x, map_y = xs + pull, ys + drift
    elif side == "left":
        map_x, map_y = xs - pull, ys + drift
    else:
        map_x, map_y = xs + drift, ys + pull
    curled = cv2.remap(page, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                       borderValue=255)
    shade = 1.0 - rng.uniform(0.05, 0.2) * damage * u
    return np.clip(curled.astype(np.float32) * shade, 0, 255).astype(np.uint8)


def _printed_at(page: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The page printed at `scale` (a printer's "fit to page"): the content shrinks about
    the sheet's centre. Returns the page and the page-mm → sheet-mm map."""
    h, w = page.shape
    centre = np.array([w / 2, h / 2])
    m = np.array([[scale, 0, centre[0] * (1 - scale)], [0, scale, centre[1] * (1 - scale)]])
    printed = cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_AREA, borderValue=255)
    return printed, np.vstack([m, [0, 0, 1]])


def photograph_stress(page: np.ndarray, layout: dict[str, Any], rng: random.Random, condition: str,
                      damage: float, *,
                      size: tuple[int, int] = (1600, 1200), ppm: float = PAGE_PPM
                      ) -> tuple[bytes, np.ndarray, bool]:
    """A hand-held photo under one condition at one damage level (0.5 light … 2 heavy).
    Returns JPEG bytes, the page-mm → image homography, and whether the four corner
    squares are wholly in the photo."""
    ph, pw = page.shape
    sheet = np.diag([ppm, ppm, 1.0])  # page mm → page px
    if condition == "scale":
        page, printed = _printed_at(page, rng.uniform(0.95, 1.0))
        sheet = printed @ sheet
    if condition == "curl":
        page = _curl(page, rng, damage, ppm)
    page_mm = np.array([[0, 0], [pw / ppm, 0], [pw / ppm, ph / ppm], [0, ph / ppm]], np.float64)
    quarter = rng.randrange(4)
    tilt = rng.uniform(-25, 25) if condition == "tilt_edge" else rng.uniform(-12, 12)
    angle = math.radians(quarter * 90 + tilt)
    out_w, out_h = (min(size), max(size)) if quarter % 2 == 0 else (max(size), min(size))
    long_px, short_px = (out_h, out_w) if quarter % 2 == 0 else (out_w, out_h)
    fill = rng.uniform(0.9, 1.0) if condition == "tilt_edge" else rng.uniform(0.72, 0.9)
    paper_w, paper_h = layout["page"]["width"], layout["page"]["height"]  # A4 210×297, A5 148×210
    page_long, page_short = max(paper_w, paper_h), min(paper_w, paper_h)
    scale = fill * min(long_px / page_long, short_px / page_short)
    scale /= abs(math.cos(math.radians(tilt))) + abs(math.sin(math.radians(tilt))) * 0.71
    centre = np.array([out_w / 2 + rng.uniform(-0.03, 0.03) * out_w,
                       out_h / 2 + rng.uniform(-0.03, 0.03) * out_h])
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    corners = (page_mm - page_mm.mean(axis=0)) @ rot.T * scale + centre
    jitter = (0.06 if condition == "tilt_edge" else 0.025) * damage * scale * 210
    corners += np.array([[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)])
    h_mm = cv2.getPerspectiveTransform(page_mm.astype(np.float32), corners.astype(np.float32))
    h_page = h_mm @ np.linalg.inv(np.diag([ppm, ppm, 1.0]))
    truth_h = h_mm @ np.linalg.inv(np.diag([ppm, ppm, 1.0])) @ sheet  # layout mm → image

    photo = _table(rng, out_w, out_h, False)
    warped = cv2.warpPerspective(page, h_page, (out_w, out_h), flags=cv2.INTER_AREA,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    mask = cv2.warpPerspective(np.full(page.shape, 255, np.uint8), h_page, (out_w, out_h),
                               flags=cv2.INTER_LINEAR, borderValue=0)
    alpha = mask.astype(np.float32) / 255.0
    photo = photo * (1 - alpha) + warped.astype(np.float32) * alpha
    photo = _light(photo, rng, damage > 1.2)
    px_per_mm = scale  # image pixels per page mm, roughly
    if condition == "low_light":
        photo *= rng.uniform(0.22, 0.45) / max(damage, 0.5) ** 0.3
    if condition == "glare":  # a lamp's reflection: a bright, washed-out patch on the page
        across, down = paper_w / 210.0, paper_h / 297.0  # the same places on an A5 page
        gx, gy = project_points(truth_h, np.array([[rng.uniform(30, 180) * across,
                                                    rng.uniform(90, 260) * down]]))[0]
        radius = rng.uniform(12, 30) * px_per_mm * (0.6 + 0.3 * damage)
        ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
        spot = np.exp(-(((xs - gx) ** 2 + ((ys - gy) * rng.uniform(0.5, 1.5)) ** 2) / radius ** 2))
        photo = photo + (300 - photo) * spot * rng.uniform(0.5, 0.85) * min(damage, 1.5)
    sigma = rng.uniform(0.2, 0.55) * damage * px_per_mm / 4.0  # ≈0.05-0.27 mm of optical blur
    if sigma > 0.3:
        photo = cv2.GaussianBlur(photo, (0, 0), sigma)
    if condition == "motion_blur":  # a hand that moved while the shutter was open
        length = max(2, round(rng.uniform(0.25, 0.5) * damage * px_per_mm))
        kernel = np.zeros((length * 2 + 1, length * 2 + 1), np.float32)
        direction = rng.uniform(0, math.pi)
        dx, dy = math.cos(direction) * length / 2, math.sin(direction) * length / 2
        cv2.line(kernel, (round(length - dx), round(length - dy)), (round(length + dx), round(length + dy)),
                 1.0, 1)
        photo = cv2.filter2D(photo, -1, kernel / kernel.sum())
    noise = rng.uniform(1.5, 3.5) * damage * (2.0 if condition == "low_light" else 1.0)
    photo += np.random.default_rng(rng.randrange(1 << 30)).normal(0, noise, photo.shape).astype(np.float32)
    gray = np.clip(photo, 0, 255).astype(np.uint8)
    tint = np.array([rng.uniform(0.9, 1.0), rng.uniform(0.95, 1.0), 1.0])
    colour = np.clip(gray[:, :, None].astype(np.float32) * tint[None, None, :], 0, 255).astype(np.uint8)
    quality = round(rng.uniform(85, 95) - 20 * (damage - 0.5))
    ok, jpeg = cv2.imencode(".jpg", colour, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return jpeg.tobytes(), truth_h, _corners_in_view(truth_h, out_w, out_h, layout)


def project_points(h: np.ndarray, points: np.ndarray) -> np.ndarray:
    pts = np.hstack([points, np.ones((len(points), 1))]) @ h.T
    return pts[:, :2] / pts[:, 2:3]


def _corners_in_view(h: np.ndarray, width: int, height: int, layout: dict[str, Any]) -> bool:
    outer = np.array([[m["x"] + dx, m["y"] + dy] for m in layout["marks"]
                      for dx in (0, m["w"]) for dy in (0, m["h"])], np.float64)
    seen = project_points(h, outer)
    return bool((seen[:, 0] >= 1).all() and (seen[:, 1] >= 1).all() and (seen[:, 0] < width - 1).all()
                and (seen[:, 1] < height - 1).all())


def make_stress_deck(count: int, seed: int = 14, *, sizes: tuple[tuple[int, int], ...] = ((1600, 1200),),
                     pencil_share: float = 0.2, a5: bool = False) -> list[Sample]:
    """`count` photos of a 10-candidate (+2 write-ins) and a 50-candidate (+5 write-ins)
    ballot (A4), and with `a5` of a 6-candidate (+1 write-in) ballot on A5 too (a short
    slate prints on A5, app/ballots/layout.py): every third photo; a `pencil_share` of
    voters use pencil (HB or light), the rest pens (a third of them thin); conditions and
    damage levels (0.5, 1, 1.5, 2) cycle so every combination appears in a deck of a few
    dozen photos."""
    rng = random.Random(seed)
    ballots = [make_ballot(rng, 10, 2, contest_id=40, round_id=400),
               make_ballot(rng, 50, 5, contest_id=41, round_id=410)]
    if a5:
        ballots.append(make_ballot(rng, 6, 1, contest_id=42, round_id=420))
        assert ballots[-1].layout["page"]["width"] < 150, "a 6-candidate slate prints on A5"
    pages = [render_page(b) for b in ballots]
    damages = (0.5, 1.0, 1.5, 2.0)
    deck = []
    for index in range(count):
        which = index % len(ballots)
        condition = STRESS_CONDITIONS[(index // 2) % len(STRESS_CONDITIONS)]
        damage = damages[(index // (2 * len(STRESS_CONDITIONS))) % len(damages)]
        size = sizes[(index // 2) % len(sizes)]  # both ballots at every size
        if rng.random() < pencil_share:
            voter = rng.choice(("hb_pencil", "light_pencil"))
        else:
            voter = "thin_pen" if rng.random() < 0.33 else "pen"
        filled, truth = fill_ballot_as(pages[which], ballots[which].layout, rng, voter)
        photo, h, in_view = photograph_stress(filled, ballots[which].layout, rng, condition, damage,
                                               size=size)
        deck.append(Sample(f"stress-{index:04d}-{condition}-{voter}", photo, ballots[which], truth, h,
                           condition=condition, voter=voter, damage=damage, corners_in_view=in_view))
    return deck


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--hard", action="store_true")
    parser.add_argument("--stress", action="store_true", help="the stress deck (make_stress_deck)")
    parser.add_argument("--size", default="1600x1200")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    truth = {}
    samples = (make_stress_deck(args.count, args.seed, sizes=(size,)) if args.stress
               else make_deck(args.count, args.seed, hard=args.hard, size=size))
    for sample in samples:
        (args.out / f"{sample.name}.jpg").write_bytes(sample.photo)
        truth[sample.name] = {"payload": sample.ballot.payload, "marks": sample.truth.marks,
                              "clear": sample.truth.clear, "kinds": sample.truth.kinds,
                              "write_ins": sample.truth.write_ins,
                              "condition": sample.condition, "voter": sample.voter,
                              "damage": sample.damage, "corners_in_view": sample.corners_in_view}
    (args.out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    print(f"{len(truth)} photos in {args.out}")


if __name__ == "__main__":
    main()
