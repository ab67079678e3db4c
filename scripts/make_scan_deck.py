"""The scanner's test deck: a stack of real printed ballots, filled by hand-like marks,
put through what an office copier's document feeder does, written as the copier writes
it (a multi-page PDF with one JPEG per page, or a multi-page TIFF).

Each ballot page is the real printed PDF page rasterised at the scan resolution (the
photo deck's `render_page`), marked by the photo deck's voter (`fill_ballot`: ○ × ✓,
fills, pencil, stray and corrected marks, write-in names), then "copied": 200 or 300
dpi, grey or colour, skew up to ±2°, scale ±1.5 %, the sheet shifted on the glass,
some sheets upside down, sensor noise, a vertical dust streak on part of the stack,
JPEG compression. Blank backs (duplex) and a foreign page (a letter with someone else's
QR code) are mixed in. One seed makes one deck on every machine.

    .venv/bin/python scripts/make_scan_deck.py --count 20 --out /tmp/stack.pdf   # own key and ids

Tests and the benchmark call `write_stack` with a real round's layout and serials.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

A4_MM = (210.0, 297.0)


def _photo_deck():
    """scripts/make_test_deck.py (the reader's deck), loaded once: its printed page and
    its voter's marks are reused, not copied."""
    if "make_test_deck" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_test_deck",
                                                      ROOT / "scripts" / "make_test_deck.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_test_deck"] = module
        spec.loader.exec_module(module)
    return sys.modules["make_test_deck"]


@dataclass
class Copier:
    """What this copier does to every sheet (the stack-wide settings)."""

    dpi: int = 200
    colour: bool = False
    quality: int = 80
    upside_down: float = 0.15    # share of sheets fed the other way up
    streak_share: float = 0.3    # share of the stack with a dust streak (one place on the glass)
    hard: bool = False           # the photo deck's harder voters (more odd marks)


@dataclass
class PageTruth:
    page: int
    kind: str                    # ballot | blank | foreign
    serial: str | None = None
    marks: dict[str, str] = field(default_factory=dict)
    clear: dict[str, bool] = field(default_factory=dict)
    write_ins: list[dict[str, Any]] = field(default_factory=list)
    upside_down: bool = False


def _copy(page: np.ndarray, ppm: float, rng: random.Random, copier: Copier, streak_x: float | None,
          upside_down: bool) -> np.ndarray:
    """One sheet through the feeder: placed with skew, scale and shift on an A4 scan area."""
    out_w, out_h = round(A4_MM[0] * copier.dpi / 25.4), round(A4_MM[1] * copier.dpi / 25.4)
    scale = copier.dpi / 25.4 / ppm * (1 + rng.uniform(-0.015, 0.015))
    angle = rng.uniform(-2.0, 2.0) + (180.0 if upside_down else 0.0)
    shift = (rng.uniform(-3, 3) * copier.dpi / 25.4, rng.uniform(-3, 3) * copier.dpi / 25.4)
    centre = (page.shape[1] / 2, page.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, scale)
    matrix[0, 2] += out_w / 2 - centre[0] + shift[0]
    matrix[1, 2] += out_h / 2 - centre[1] + shift[1]
    lid = rng.randint(235, 250)  # the copier lid behind the sheet's edges
    scan = cv2.warpAffine(page, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=lid).astype(np.float32)
    if rng.random() < 0.5:
        scan = cv2.GaussianBlur(scan, (0, 0), rng.uniform(0.3, 0.7))
    noise = np.empty(scan.shape, np.float32)
    cv2.setRNGSeed(rng.randrange(1 << 30))
    cv2.randn(noise, 0.0, rng.uniform(1.5, 4.0))  # sensor noise (OpenCV's generator: fast)
    scan += noise
    if streak_x is not None:  # dust on the glass: one dark line down the whole page
        x = round(streak_x * out_w)
        width = max(1, round(copier.dpi / 150))
        scan[:, x:x + width] *= rng.uniform(0.25, 0.55)
    return np.clip(scan, 0, 255).astype(np.uint8)


def _colour(gray: np.ndarray, rng: random.Random) -> np.ndarray:
    """A colour scan of black print on slightly warm paper (BGR)."""
    tint = np.array([rng.uniform(0.9, 0.96), rng.uniform(0.95, 0.99), 1.0], np.float32)
    return np.clip(gray[:, :, None].astype(np.float32) * tint, 0, 255).astype(np.uint8)


def _blank(copier: Copier, rng: random.Random) -> np.ndarray:
    """The empty back of a sheet, with a faint show-through of the front."""
    ppm = copier.dpi / 25.4
    page = np.full((round(A4_MM[1] * ppm), round(A4_MM[0] * ppm)), 250, np.uint8)
    for _ in range(rng.randint(0, 12)):
        y = rng.uniform(30, 260) * ppm
        cv2.line(page, (round(20 * ppm), round(y)), (round(rng.uniform(60, 190) * ppm), round(y)), 232, 2)
    return page


def _foreign(ppm: float, rng: random.Random) -> np.ndarray:
    """Someone else's page: a printed letter with a table and another system's QR code."""
    import qrcode
    from PIL import Image, ImageDraw

    deck = _photo_deck()
    width, height = round(A4_MM[0] * ppm), round(A4_MM[1] * ppm)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    draw.text((20 * ppm, 20 * ppm), "关于召开职工代表大会的通知", fill=0, font=deck._font(round(7 * ppm)))
    for line in range(18):
        draw.text((20 * ppm, (40 + line * 8) * ppm), "各部门：根据工作安排，现将有关事项通知如下。" * 1,
                  fill=30, font=deck._font(round(4 * ppm)))
    for row in range(6):
        for col in range(4):
            x, y = (20 + col * 42) * ppm, (190 + row * 10) * ppm
            draw.rectangle((x, y, x + 40 * ppm, y + 9 * ppm), outline=0, width=2)
    qr = qrcode.make(f"https://example.org/notice/{rng.randrange(10**6)}").convert("L")
    side = round(30 * ppm)
    page.paste(qr.resize((side, side)), (round(160 * ppm), round(15 * ppm)))
    return np.array(page)


def stack_pages(layout: dict[str, Any], ballots: Sequence[tuple[str, str]], *, copier: Copier,
                seed: int = 2026, blanks: int = 0, foreign: int = 0, write_in_share: float = 1.0
                ) -> Iterator[tuple[np.ndarray, PageTruth]]:
    """The scanned pages of a stack, one at a time: each ballot of `ballots` (QR payload,
    serial) printed with `layout`, filled and copied, with `blanks` blank backs and
    `foreign` foreign pages mixed in at seeded places. On a share `write_in_share` of the
    ballots the voter may write names in (with the photo deck's habits); on the others
    the write-in rows stay empty."""
    deck = _photo_deck()
    rng = random.Random(seed)
    ppm = max(copier.dpi / 25.4, deck.PAGE_PPM)
    total = len(ballots) + blanks + foreign
    kinds = ["ballot"] * len(ballots) + ["blank"] * blanks + ["foreign"] * foreign
    rng.shuffle(kinds)
    streak_from = rng.randrange(total) if copier.streak_share > 0 else total
    streak_to = streak_from + round(total * copier.streak_share)
    streak_x = rng.uniform(0.15, 0.85)
    printed = _printed_pages(layout, ballots, ppm)
    for index, kind in enumerate(kinds):
        truth = PageTruth(page=index + 1, kind=kind)
        streak = streak_x if streak_from <= index < streak_to else None
        if kind == "blank":
            gray = _copy(_blank(copier, rng), copier.dpi / 25.4, rng, copier, streak, False)
        elif kind == "foreign":
            gray = _copy(_foreign(ppm, rng), ppm, rng, copier, streak, rng.random() < 0.5)
        else:
            serial, page = next(printed)
            writes = rng.random() < write_in_share
            voter_layout = layout if writes else {**layout, "write_ins": []}
            filled, marked = deck.fill_ballot(page, voter_layout, rng, hard=copier.hard, ppm=ppm)
            if not writes:
                marked.write_ins = [{"index": w["index"], "has_name": False, "mark": "none", "clear": True}
                                    for w in layout["write_ins"]]
            truth.upside_down = rng.random() < copier.upside_down
            gray = _copy(filled, ppm, rng, copier, streak, truth.upside_down)
            truth.serial, truth.marks, truth.clear = serial, dict(marked.marks), dict(marked.clear)
            truth.write_ins = [dict(w) for w in marked.write_ins]
        yield (_colour(gray, rng) if copier.colour else gray), truth


def _printed_pages(layout: dict[str, Any], ballots: Sequence[tuple[str, str]], ppm: float
                   ) -> Iterator[tuple[str, np.ndarray]]:
    """(serial, printed page at `ppm`) for each ballot: the whole stack printed once by the
    real printer (app.ballots.pdf), each page rasterised only when it is needed."""
    import pypdfium2 as pdfium

    from app.ballots.pdf import render_ballots

    buffer = io.BytesIO()
    render_ballots(layout, list(ballots), buffer)
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        for index, (_payload, serial) in enumerate(ballots):
            page = document[index]
            bitmap = page.render(scale=ppm * 25.4 / 72, grayscale=True)
            yield serial, np.array(bitmap.to_pil().convert("L"))
            page.close()
    finally:
        document.close()


def _jpeg(image: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


def write_pdf(pages: Iterator[tuple[np.ndarray, PageTruth]], out: Path, copier: Copier) -> list[PageTruth]:
    """A copier's PDF: A4 pages, each one JPEG image (DCT, embedded as is)."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    truths = []
    for image, truth in pages:
        pdf.add_page()
        pdf.image(io.BytesIO(_jpeg(image, copier.quality)), x=0, y=0, w=A4_MM[0], h=A4_MM[1])
        truths.append(truth)
    pdf.output(str(out))
    return truths


def write_tiff(pages: Iterator[tuple[np.ndarray, PageTruth]], out: Path, copier: Copier) -> list[PageTruth]:
    """A copier's multi-page TIFF (deflate), written a page at a time."""
    from PIL import Image, TiffImagePlugin

    truths = []
    with TiffImagePlugin.AppendingTiffWriter(str(out), True) as writer:
        for image, truth in pages:
            frame = Image.fromarray(image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
            frame.save(writer, "TIFF", compression="tiff_deflate", dpi=(copier.dpi, copier.dpi))
            writer.newFrame()
            truths.append(truth)
    return truths


def write_stack(out: Path, layout: dict[str, Any], ballots: Sequence[tuple[str, str]], *,
                copier: Copier | None = None, seed: int = 2026, blanks: int = 0,
                foreign: int = 0, write_in_share: float = 1.0) -> list[PageTruth]:
    """Write the stack to `out` (.pdf or .tif/.tiff); returns the truth per page."""
    copier = copier or Copier()
    pages = stack_pages(layout, ballots, copier=copier, seed=seed, blanks=blanks, foreign=foreign,
                        write_in_share=write_in_share)
    if out.suffix.lower() == ".pdf":
        return write_pdf(pages, out, copier)
    return write_tiff(pages, out, copier)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dpi", type=int, choices=(200, 300), default=200)
    parser.add_argument("--colour", action="store_true")
    parser.add_argument("--blanks", type=int, default=2)
    parser.add_argument("--foreign", type=int, default=1)
    parser.add_argument("--write-in-share", type=float, default=0.2,
                        help="share of voters who may write names in")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    deck = _photo_deck()
    rng = random.Random(args.seed)
    ballot = deck.make_ballot(rng, 10, 2)
    ballots = [(deck.sign(deck.DECK_KEY, ballot.contest_id, ballot.round_id, serial).text(), serial)
               for serial in (deck._serial(rng) for _ in range(args.count))]
    truths = write_stack(args.out, {**ballot.layout, "contest_id": ballot.contest_id,
                                    "round_id": ballot.round_id}, ballots,
                         copier=Copier(dpi=args.dpi, colour=args.colour), seed=args.seed,
                         blanks=args.blanks, foreign=args.foreign, write_in_share=args.write_in_share)
    args.out.with_suffix(".truth.json").write_text(json.dumps(
        [truth.__dict__ for truth in truths], ensure_ascii=False, indent=1))
    print(f"{len(truths)} pages in {args.out}")


if __name__ == "__main__":
    main()
