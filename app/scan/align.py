"""Lining the photo up with the printed page.

The QR code tells where the page is, roughly, and which way up: its four corners are
matched to the QR square of the layout (an affine fit), which seeds the search for the
four solid corner squares (a guess only: the squares actually found decide). Dark,
solid, square blobs of about the right size are looked for in a coarse copy of the
photo (dark meaning: darker than half the brightest paper around, so shadows and uneven
light do not matter); among the candidates near each guess, the four that best explain
the QR code's own corners win. Their centres, refined at full resolution, give the
homography page-mm → image.

Along the way the marks tell the page's own ink and paper levels and how sharp the
photo is (the width of their edges).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .errors import ScanError
from .qr import QrHit

COARSE_PPM = 2.0      # pixels per mm of the coarse copy searched for marks
MAX_QR_ERROR_MM = 4.0  # the chosen marks must put the QR code within this of where it was seen


@dataclass(frozen=True)
class Alignment:
    h: np.ndarray            # 3×3, page mm → working image pixels
    px_per_mm: float
    qr_error_mm: float       # how far the QR corners land from where zxing saw them
    ink: float               # grey level of printed ink (the marks' cores)
    paper: float             # grey level of paper beside the marks
    blur_mm: float           # edge spread (≈ Gaussian sigma) at the marks, in mm


def qr_square_mm(layout: Mapping[str, Any]) -> np.ndarray:
    """The QR symbol's corners on the page (top-left, top-right, bottom-right,
    bottom-left): the layout's `qr` square."""
    q = layout["qr"]
    inset = float(q.get("quiet_zone", 0.0))
    x0, y0, x1, y1 = q["x"] + inset, q["y"] + inset, q["x"] + q["w"] - inset, q["y"] + q["h"] - inset
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


def mark_centres_mm(layout: Mapping[str, Any]) -> np.ndarray:
    return np.array([[m["x"] + m["w"] / 2, m["y"] + m["h"] / 2] for m in layout["marks"]], np.float64)


def _affine(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares affine map src → dst as a 3×3 matrix."""
    a = np.hstack([src, np.ones((len(src), 1))])
    solution, *_ = np.linalg.lstsq(a, dst, rcond=None)
    return np.vstack([solution.T, [0, 0, 1]])


def project(h: np.ndarray, points: np.ndarray) -> np.ndarray:
    pts = np.hstack([points, np.ones((len(points), 1))]) @ h.T
    return pts[:, :2] / pts[:, 2:3]


def _candidates(gray: np.ndarray, px_per_mm: float, mark_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres (working pixels) and sizes of dark solid squares about `mark_mm` across."""
    factor, small = 1.0, gray
    while px_per_mm / (factor * 2) >= COARSE_PPM * 0.75:  # halve while marks stay ≥ 12 px
        small = cv2.pyrDown(small)
        factor *= 2
    side = mark_mm * px_per_mm / factor
    reach = max(3, round(side * 1.6)) | 1
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    raw = (small.astype(np.int16) * 2 < paper.astype(np.int16)).astype(np.uint8)
    k = max(2, round(side * 0.4))
    dark = cv2.morphologyEx(raw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    # Two-level hierarchy: a mark is the outer boundary of a dark component, even when
    # it lies inside the page, which lies inside a dark table.
    contours, hierarchy = cv2.findContours(dark, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    centres, sizes = [], []
    for contour, links in zip(contours, hierarchy[0] if hierarchy is not None else [], strict=True):
        if links[3] != -1:  # a hole, not a component
            continue
        area = cv2.contourArea(contour)
        if not 0.25 * side * side <= area <= 3.0 * side * side:
            continue
        (_, _), (w, h), _ = cv2.minAreaRect(contour)
        if min(w, h) <= 0 or max(w, h) / min(w, h) > 1.8 or area / (w * h) < 0.7:
            continue
        m = cv2.moments(contour)
        centres.append((m["m10"] / m["m00"] * factor, m["m01"] / m["m00"] * factor))
        sizes.append(np.sqrt(area) * factor)
    return np.array(centres, np.float64).reshape(-1, 2), np.array(sizes, np.float64)


def _refine(gray: np.ndarray, centre: np.ndarray, side_px: float
            ) -> tuple[np.ndarray, float, float, float] | None:
    """A mark's centre at full resolution, with its ink and paper grey levels and the
    width of its edges (pixels, ≈ sigma of the blur)."""
    r = int(side_px * 1.2) + 3
    cx, cy = int(round(centre[0])), int(round(centre[1]))
    x0, y0 = max(0, cx - r), max(0, cy - r)
    window = gray[y0:cy + r + 1, x0:cx + r + 1]
    if window.size == 0 or min(window.shape) < side_px:
        return None
    paper = float(np.percentile(window, 90))
    ink = float(np.percentile(window, 3))
    if paper - ink < 15:
        return None
    level = (paper + ink) / 2
    blob = (window < level).astype(np.uint8)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(blob)
    if count < 2:
        return None
    here = labels[min(cy - y0, labels.shape[0] - 1), min(cx - x0, labels.shape[1] - 1)]
    if here == 0:
        here = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    # The centre weighted by darkness inside the blob's dilated footprint: sub-pixel and
    # symmetric under blur.
    footprint = cv2.dilate((labels == here).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    weight = np.clip((paper - window.astype(np.float32)) / (paper - ink), 0, 1) * footprint
    ys, xs = np.nonzero(footprint)
    total = float(weight[ys, xs].sum())
    mx = float((weight[ys, xs] * xs).sum() / total) + x0
    my = float((weight[ys, xs] * ys).sum() / total) + y0
    core = window[labels == here]
    ink_level = float(np.percentile(core, 30))
    norm = (paper - window.astype(np.float32)) / max(paper - ink_level, 1.0)
    middle = float(((norm > 0.25) & (norm < 0.75) & footprint).sum())
    area = float((labels == here).sum())
    edge = middle / max(4.0 * np.sqrt(area), 1.0)
    return np.array([mx, my]), ink_level, paper, edge


def align(gray: np.ndarray, layout: Mapping[str, Any], qr: QrHit) -> Alignment:
    qr_mm = qr_square_mm(layout)
    marks_mm = mark_centres_mm(layout)
    mark_size = float(layout["marks"][0]["w"])
    rough = _affine(qr_mm, qr.corners)
    px_per_mm = float(np.sqrt(abs(np.linalg.det(rough[:2, :2]))))
    predicted = project(rough, marks_mm)
    # The QR code only seeds the search: from a small, tilted code the guess for a far
    # corner can be off by 100 mm or land outside the photo, so no photo is refused on
    # the guess. Every dark square within a wide reach is a candidate; the four that
    # put the QR code where zxing saw it win (their homography's residual at the QR).
    centres, sizes = _candidates(gray, px_per_mm, mark_size)
    qr_centre = qr_mm.mean(axis=0)
    slots = []
    for mark_mm, guess in zip(marks_mm, predicted, strict=True):
        reach = (0.5 * np.linalg.norm(mark_mm - qr_centre) + 20.0) * px_per_mm
        if len(centres) == 0:
            raise ScanError("page_cut_off")
        distance = np.linalg.norm(centres - guess, axis=1)
        near = [int(i) for i in np.argsort(distance)[:6] if distance[i] <= reach]
        if not near:
            raise ScanError("page_cut_off")
        slots.append(near)
    best: tuple[float, tuple[int, ...]] | None = None
    for combo in itertools.product(*slots):
        if len(set(combo)) < 4:
            continue
        pts = centres[list(combo)].astype(np.float32)
        h = cv2.getPerspectiveTransform(marks_mm.astype(np.float32), pts)
        error = float(np.linalg.norm(project(h, qr_mm) - qr.corners, axis=1).mean()) / px_per_mm
        if best is None or error < best[0]:
            best = (error, combo)
    if best is None or best[0] > MAX_QR_ERROR_MM * 2:
        raise ScanError("page_cut_off")

    refined, inks, papers, edges = [], [], [], []
    for index in best[1]:
        found = _refine(gray, centres[index], sizes[index])
        if found is None:
            raise ScanError("page_cut_off")
        refined.append(found[0])
        inks.append(found[1])
        papers.append(found[2])
        edges.append(found[3])
    pts = np.array(refined, np.float32)
    h = cv2.getPerspectiveTransform(marks_mm.astype(np.float32), pts)
    error = float(np.linalg.norm(project(h, qr_mm) - qr.corners, axis=1).mean()) / px_per_mm
    if error > MAX_QR_ERROR_MM:
        raise ScanError("page_cut_off")
    local_ppm = float(np.mean(sizes[list(best[1])])) / mark_size
    return Alignment(h=h, px_per_mm=local_ppm, qr_error_mm=error, ink=float(np.median(inks)),
                     paper=float(np.median(papers)), blur_mm=float(np.median(edges)) / local_ppm)
