"""Finding the ballot's QR code with zxing-cpp.

The full working picture is tried first (zxing-cpp also searches its own downscaled
copies and all four orientations); when that fails, enhanced versions: local contrast
(CLAHE) for dim or shadowed pages, a sharpened one for soft focus, a halved one for
codes too large or noisy, zxing's global-histogram binariser, and a doubled, sharpened
one for a code photographed small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from app.ballots.serials import PREFIX


@dataclass(frozen=True)
class QrHit:
    text: str
    corners: np.ndarray  # 4×2, the symbol's own top-left, top-right, bottom-right, bottom-left
    variant: str


QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def _read(image: np.ndarray, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
          ) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(image, formats=QR_ONLY, try_rotate=True,
                                  try_downscale=True, try_invert=False, binarizer=binarizer)


def _variants(gray: np.ndarray) -> Iterator[tuple[str, float, Callable[[], list]]]:
    yield "full", 1.0, lambda: _read(gray)
    yield "clahe", 1.0, lambda: _read(cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray))

    def sharpened() -> list:
        soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
        return _read(cv2.addWeighted(gray, 2.0, soft, -1.0, 0))

    yield "sharpened", 1.0, sharpened
    half = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    yield "half", 2.0, lambda: _read(half)
    yield "histogram", 1.0, lambda: _read(gray, zxingcpp.Binarizer.GlobalHistogram)

    def doubled() -> list:  # a small code (a far or low-resolution shot): modules under 3 px
        big = cv2.resize(gray, (gray.shape[1] * 2, gray.shape[0] * 2), interpolation=cv2.INTER_CUBIC)
        soft = cv2.GaussianBlur(big, (0, 0), 2.0)
        return _read(cv2.addWeighted(big, 2.0, soft, -1.0, 0))

    yield "doubled", 0.5, doubled


def find_qr(gray: np.ndarray) -> QrHit | None:
    """The ballot QR code in `gray`. One of ours is preferred over any other code in the
    picture (a phone's QR sticker on the table); among ours the largest, i.e. the nearest."""
    foreign: QrHit | None = None
    for name, factor, attempt in _variants(gray):
        hits = []
        for code in attempt():
            p = code.position
            corners = np.array([[p.top_left.x, p.top_left.y], [p.top_right.x, p.top_right.y],
                                [p.bottom_right.x, p.bottom_right.y],
                                [p.bottom_left.x, p.bottom_left.y]], np.float64) * factor
            hits.append(QrHit(code.text, corners, name))
        ours = [hit for hit in hits if hit.text.startswith(PREFIX + ":")]
        if ours:
            return max(ours, key=lambda hit: cv2.contourArea(hit.corners.astype(np.float32)))
        if hits and foreign is None:
            foreign = hits[0]
    return foreign


DIM_PAPER = 160       # brightest grey (99th percentile) of a page under dim light, at most
GRAIN_CONTRAST = 12.0  # contrast under this many times the grain: the grain drowns the print
BLUR_EDGE = 0.3       # steepest edges (weakest direction) under this share of the contrast: blurred


def _grain(gray: np.ndarray) -> float:
    """The picture's grain: the spread (MAD, as a standard deviation) of each pixel's
    difference from its 3×3 mean, sampled every third pixel."""
    picture = gray.astype(np.float32)
    detail = (picture - cv2.blur(picture, (3, 3)))[::3, ::3]
    return 1.4826 * float(np.median(np.abs(detail))) * 9 / 8


def exposure_problem(gray: np.ndarray) -> str | None:
    """Why a picture with no readable QR code is probably unreadable: `too_dark` or
    `too_blurred`, else None (then there is most likely no ballot in view)."""
    small = cv2.resize(gray, (gray.shape[1] // 4, gray.shape[0] // 4), interpolation=cv2.INTER_AREA)
    low, high = np.percentile(small, (5, 99))
    # A page this dim cannot be read even when its QR code is (reader.MIN_PAPER at the
    # marks): more light is the advice, not "get the ballot in the frame".
    # (A bright picture without contrast, a blank sheet, is not dark: no ballot in view.)
    if high < 85 or (high - low < 25 and high < DIM_PAPER):
        return "too_dark"
    # A dim page the camera brightened by pushing its gain: the paper may look bright
    # enough, but the grain it brings is strong against the page's contrast, and it
    # hides the QR code's modules. Daylight and a blank or foreign page in normal light
    # stay far above this (their contrast is 30 or more times their grain).
    if high < DIM_PAPER and high - low < GRAIN_CONTRAST * _grain(gray):
        return "too_dark"
    work = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(work, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(work, cv2.CV_32F, 0, 1, ksize=3)
    # The weakest of four directions (across, down and both diagonals): a hand that
    # moved smears edges across its motion only, and the edges along it stay sharp
    # enough to fool a measure over all directions; a diagonal motion softens across
    # and down only partly, so the diagonals are measured too.
    steep = [float(np.percentile(np.abs(g), 99.7)) / 4.0
             for g in (gx, gy, (gx + gy) * np.float32(0.7071), (gx - gy) * np.float32(0.7071))]
    contrast = float(high - low)
    # (How uneven the four are does not tell motion blur: a cluttered table without a
    # ballot is as uneven as a shaken page.)
    if min(steep) < BLUR_EDGE * contrast:
        return "too_blurred"
    return None
