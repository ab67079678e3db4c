"""Measuring ink in the boxes, relative to the page's own paper and ink.

The table area is warped upright to a fixed CANON_PPM pixels per mm. Paper is
estimated everywhere by a morphological closing of a coarse copy (it erases every
stroke and filled box yet follows lighting gradients and shadows), and each pixel's
ink is `(1 − grey/paper) / (1 − ink/paper)`, where ink/paper is measured on the printed
corner squares: 0 is paper, 1 is as dark as the printer's toner, whatever the light.

Each box is first re-found where it really is (a fold or crease moves it by a
millimetre or two from where the homography puts it) from the profiles of its printed
border, then measured: the mean ink inside (the score, kept), the share of dark pixels
inside, and the share of dark pixels in a ring just outside (a mark crossing the box).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import cv2
import numpy as np

CANON_PPM = 5.0       # pixels per mm of the upright table image
DARK = 0.45           # normalised ink above which a pixel counts as dark ink
LIGHT = 0.10          # … and as any ink at all (light pencil); noise stays well below
LIGHT_NOISE = 5.0     # … or this many times the page's noise, when that is higher
FAINT, FAINT_NOISE = 0.03, 4.0  # a faint stroke: this much above the box's own median ink
SEARCH_MM = 1.5       # how far a box may have moved from where the homography puts it
BORDER_SEEN = 0.03    # the border profile's strength below which the box was not found
REACH_SHARE, REACH_PEAK = 0.4, 0.06  # ink counted for `reach`: this share of the box's darkest
NAME_MIN_HEIGHT_MM = 1.6  # the least height of a written name (a printed line is far lower)
NAME_EDGE_MM = 0.4    # a name area's edge band, where a misplaced row border lands
NAME_DASH_GAP_MM = 2.0   # the gaps of the dashed writing line (bridged to find it)
NAME_BACKGROUND_MM = 6.0  # the surroundings faint writing is measured against (`local`)
NAME_LINE_MAX_MM = 1.4   # the thickest a printed line looks, blurred (writing is taller)
SHARP_MM = 2.2       # the surroundings a stroke is compared with for `sharp`
BOX_NOISE_PIXELS = 100  # fewer pixels inside the boxes than this: keep the table's noise
INSET_MM = 0.75       # the inside of a box starts this far inside its printed border line


@dataclass(frozen=True)
class InkMap:
    ink: np.ndarray       # float32 normalised ink, upright, CANON_PPM px per mm
    gray: np.ndarray      # uint8, the same area as photographed (for write-in crops)
    origin: tuple[float, float]  # page mm of pixel (0, 0)
    light_level: float = 0.0     # ink (3×3 mean) above which a pixel counts as inked on this page
    noise: float = 0.0           # spread of the 3×3 mean ink over bare paper (grain, JPEG, light)
    # The same two measured inside the boxes (`with_box_noise`), which the boxes are judged by.
    box_light_level: float | None = None
    box_noise: float | None = None

    def px(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        return (x_mm - self.origin[0]) * CANON_PPM, (y_mm - self.origin[1]) * CANON_PPM


@dataclass(frozen=True)
class BoxInk:
    score: float      # mean ink inside (before the page baseline is taken off)
    dark: float       # share of the inside that is dark ink
    light: float      # share of the inside with at least pencil-light ink
    ring: float       # share of the ring just outside that is dark ink
    shift_mm: tuple[float, float]
    found: bool       # the printed border was seen where the box was looked for
    border: float = 0.0  # how sharply it was seen (the weaker direction)
    span: float = 0.0    # how far the ink reaches across the inside (the shorter way), 0 … 1
    bare: float = 1.0    # share of the inside above the fixed LIGHT level
    faint: float = 1.0   # share of the inside standing out from the box's own median (0: no stroke)
    reach: float = 0.0   # span of the ink at a level relative to its own darkest (blur-proof shape)
    sharp: float = 1.0   # share of the ink that stands out from its 2 mm surroundings (0: a smooth shade)


def table_region(layout: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """The page area (mm) holding every box and write-in name, with a margin."""
    rects = [b for c in layout["candidates"] for b in c["boxes"].values()]
    rects += [w["boxes"]["yes"] for w in layout["write_ins"]] + [w["name_area"] for w in layout["write_ins"]]
    x0 = min(r["x"] for r in rects) - 4.0
    y0 = min(r["y"] for r in rects) - 4.0
    x1 = max(r["x"] + r["w"] for r in rects) + 4.0
    y1 = max(r["y"] + r["h"] for r in rects) + 4.0
    return x0, y0, x1, y1


def ink_map(gray: np.ndarray, h_page: np.ndarray, region: tuple[float, float, float, float],
            ink_ratio: float, beyond_mm: float = 0.0) -> InkMap:
    """The table's ink, upright. `beyond_mm`: the map also reaches this far above and
    below the region (to look for a box a row beyond the table's first and last rows);
    the paper and the page's noise are estimated on the region alone, so every
    measure within it is the same as without the rows beyond."""
    x0, y0, x1, y1 = region
    width, height = round((x1 - x0) * CANON_PPM), round((y1 - y0) * CANON_PPM)
    beyond = round(beyond_mm * CANON_PPM)
    y0 -= beyond / CANON_PPM
    to_mm = np.array([[1 / CANON_PPM, 0, x0], [0, 1 / CANON_PPM, y0], [0, 0, 1]])
    upright = cv2.warpPerspective(gray, h_page @ to_mm, (width, height + 2 * beyond),
                                  flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                  borderMode=cv2.BORDER_REPLICATE)
    inner = upright[beyond:beyond + height]
    small = cv2.resize(inner, (max(1, width // 4), max(1, height // 4)), interpolation=cv2.INTER_AREA)
    reach = round(14.0 * CANON_PPM / 4) | 1  # wider than any filled box
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    paper = cv2.GaussianBlur(paper.astype(np.float32), (0, 0), 1.5)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    paper = cv2.copyMakeBorder(paper, beyond, beyond, 0, 0, cv2.BORDER_REPLICATE)
    depth = max(1.0 - min(ink_ratio, 0.8), 0.2)
    ink = (1.0 - upright.astype(np.float32) / np.maximum(paper, 1.0)) / depth
    # The page's own noise: how far the 3×3 mean ink of bare paper strays from zero (a
    # dim photo's grain, JPEG blocks, uneven light). Most of the area is paper, so the
    # median and MAD ignore the print and the marks. A pixel counts as inked above
    # LIGHT or, on a noisy page, above this noise by a wide margin.
    sample = cv2.blur(ink[beyond:beyond + height], (3, 3))[::3, ::3]
    middle = float(np.median(sample))
    noise = 1.4826 * float(np.median(np.abs(sample - middle)))
    return InkMap(ink=ink, gray=upright, origin=(x0, y0),
                  light_level=max(LIGHT, middle + LIGHT_NOISE * noise), noise=noise)


def with_box_noise(m: InkMap, places: list[Located]) -> InkMap:
    """The page's noise measured where marks are judged: inside the boxes (where they
    were found). Most boxes are empty (every row has one) and most of a marked box is
    bare paper, so the median and MAD there give what the photo's grain alone makes of
    bare paper, free of the printed names and lines around them, which inflate a spread
    taken over the whole table and hid thin pen strokes under it."""
    inset = round(INSET_MM * CANON_PPM) + 1
    parts = []
    for at in places:
        inside = m.ink[max(0, at.y + inset):at.y + at.h - inset, max(0, at.x + inset):at.x + at.w - inset]
        if inside.size:
            parts.append(cv2.blur(inside, (3, 3)).ravel())
    values = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    if values.size < BOX_NOISE_PIXELS:
        return m
    middle = float(np.median(values))
    noise = 1.4826 * float(np.median(np.abs(values - middle)))
    return replace(m, box_noise=noise, box_light_level=max(LIGHT, middle + LIGHT_NOISE * noise))


def _best_offset(profile: np.ndarray, first: int, second: int, search: int,
                 slack: int = 2) -> tuple[int, int, float]:
    """Where the two border lines expected at `first` and `second` in `profile` really
    are: a common shift (± `search`) and a change of the distance between them (±
    `slack`, a fold or perspective shrinks or stretches a box a little). Each line is
    scored by how much darker it is than the profile two pixels either side; ties go to
    the smallest move. Returns (shift, change, strength of the two lines found)."""
    n = len(profile)
    sharp = np.full(n + 2 * (search + slack) + 4, 0.0)
    if n > 4:
        sharp[2:n - 2] = profile[2:n - 2] - 0.5 * (profile[:n - 4] + profile[4:])

    def at(index: np.ndarray) -> np.ndarray:
        return np.where((index >= 2) & (index < n - 2), sharp[np.clip(index, 0, n - 1)], 0.0)

    shifts = np.arange(-search, search + 1)
    changes = np.arange(-slack, slack + 1)
    left = at(first + shifts)                                   # (shifts,)
    right = at(second + shifts[:, None] + changes[None, :])     # (shifts, changes)
    total = left[:, None] + right - 0.01 * np.abs(shifts)[:, None]  # the homography is rarely far off
    cost = np.abs(shifts)[:, None] * 1.0 + np.abs(changes)[None, :] * 0.5
    candidates = np.argwhere(total >= total.max() - 1e-9)
    i, j = min(candidates, key=lambda ij: cost[ij[0], ij[1]])
    return int(shifts[i]), int(changes[j]), float(total[i, j])


@dataclass(frozen=True)
class Located:
    """Where a box's printed border really is (upright pixels) and how sharply it shows."""

    x: int
    y: int
    w: int
    h: int
    shift: tuple[int, int]   # from where the homography puts it (pixels)
    border: float            # strength of the weaker pair of border lines
    found: bool


def locate_box(m: InkMap, rect: dict[str, float], partners: tuple[dict[str, float], ...] = (),
               prior: tuple[int, int] = (0, 0)) -> Located:
    """Re-find a box's border within SEARCH_MM of where the homography puts it, moved
    by `prior` (pixels: where its neighbours were found on a curled page). `partners`
    are the other boxes of the same row: their top and bottom borders are found
    together with this one's (a voter marks at most one of them, so a mark's strokes
    cannot pull the row's borders off)."""
    ink = m.ink
    fx, fy = m.px(rect["x"], rect["y"])
    w, h = rect["w"] * CANON_PPM, rect["h"] * CANON_PPM
    x, y = round(fx) + prior[0], round(fy) + prior[1]
    wi, hi = round(w), round(h)
    search = round(SEARCH_MM * CANON_PPM)
    pad = search + 3
    y_lo, y_hi = max(0, y - pad), min(ink.shape[0], y + hi + pad + 1)
    x_lo, x_hi = max(0, x - pad), min(ink.shape[1], x + wi + pad + 1)
    window = np.clip(ink[y_lo:y_hi, x_lo:x_hi], 0, 1.5)
    # Profiles across the middle of the box only, so the other pair of borders stays out.
    rows = window[:, max(0, x - x_lo + wi // 5):x - x_lo + wi - wi // 5].mean(axis=1)
    for other in partners:
        ox = round(m.px(other["x"], other["y"])[0]) + prior[0]
        strip = ink[y_lo:y_hi, max(0, ox + wi // 5):max(0, ox + wi - wi // 5)]
        if strip.shape[0] == rows.shape[0] and strip.shape[1] > 0:
            rows = rows + np.clip(strip, 0, 1.5).mean(axis=1)
    rows = rows / (1 + len(partners))
    cols = window[max(0, y - y_lo + hi // 5):y - y_lo + hi - hi // 5, :].mean(axis=0)
    dy, dh, strength_y = _best_offset(rows, y - y_lo, y - y_lo + hi, search)
    dx, dw, strength_x = _best_offset(cols, x - x_lo, x - x_lo + wi, search)
    # A box whose border cannot be seen is not measured with confidence (the reader
    # also compares each box with the page's other boxes, which blur weakens alike).
    border = min(strength_x, strength_y)
    return Located(x + dx, y + dy, wi + dw, hi + dh, (prior[0] + dx, prior[1] + dy), border,
                   border >= BORDER_SEEN)


def column_shift(m: InkMap, rects: list[dict[str, float]], search_mm: float) -> tuple[int, float]:
    """How far a column of boxes (one above the other, same x) sits across from where
    the homography puts it, searched wider than one box's search: the profile across
    the column, every box's middle rows together, shows their left and right borders far
    above any mark's strokes. Returns (shift in pixels, strength of the borders)."""
    fx = m.px(rects[0]["x"], rects[0]["y"])[0]
    x, wi = round(fx), round(rects[0]["w"] * CANON_PPM)
    search = round(search_mm * CANON_PPM)
    x_lo, x_hi = max(0, x - search - 3), min(m.ink.shape[1], x + wi + search + 4)
    profiles = []
    for rect in rects:
        y, hi = round(m.px(rect["x"], rect["y"])[1]), round(rect["h"] * CANON_PPM)
        band = m.ink[max(0, y + hi // 5):max(0, y + hi - hi // 5), x_lo:x_hi]
        if band.size:
            profiles.append(np.clip(band, 0, 1.5).mean(axis=0))
    if not profiles:
        return 0, 0.0
    dx, _dw, strength = _best_offset(np.mean(profiles, axis=0), x - x_lo, x - x_lo + wi, search)
    return dx, strength


def measure_box(m: InkMap, rect: dict[str, float], gap_mm: tuple[float, float],
                blur_mm: float = 0.0, partners: tuple[dict[str, float], ...] = (),
                shaded_beside: bool = False, at: Located | None = None) -> BoxInk:
    """The ink in one box. `gap_mm` is the free paper (horizontal, vertical) around it;
    `blur_mm` widens the margin kept from the printed border, which a soft photo smears
    into the box. `partners`: see `locate_box` (`at`: the box already located).
    `shaded_beside`: the box has a shaded cell next to it (a write-in row)."""
    ink = m.ink
    noise = m.noise if m.box_noise is None else m.box_noise
    light_level = m.light_level if m.box_light_level is None else m.box_light_level
    place = at or locate_box(m, rect, partners)
    x, y, wi, hi = place.x, place.y, place.w, place.h
    inset_mm = min(INSET_MM + 1.5 * max(0.0, blur_mm - 0.3), 0.3 * min(rect["w"], rect["h"]))
    inset = round(max(INSET_MM, inset_mm) * CANON_PPM)
    inside = ink[max(0, y + inset):y + hi - inset + 1, max(0, x + inset):x + wi - inset + 1]
    ring, around = _ring(ink, x, y, wi, hi, gap_mm)
    if shaded_beside:
        # Beside a write-in box the shaded cell darkens the paper estimate, so the free
        # paper there reads as negative ink: never count it below plain paper.
        around = max(around, 0.0)
    # Mean ink above the paper right beside the box: a shadow's edge or a fold's shade
    # raises both alike, a faint mark only the inside.
    score = float(np.clip(inside - around, 0, 1.0).mean()) if inside.size else 0.0
    dark = float((inside > DARK).mean()) if inside.size else 0.0
    inked = cv2.blur(inside, (3, 3)) > light_level if inside.size else np.zeros((1, 1), bool)
    light = float(inked.mean())
    local = cv2.blur(inside, (3, 3)) if inside.size else np.ones((1, 1), np.float32)
    bare = float((local > LIGHT).mean())
    # Faint strokes against the box's own background (a light pencil line a soft photo
    # spreads under LIGHT still stands out from the paper beside it; a drift of the
    # light raises the whole box alike and does not).
    faint = float((local - float(np.median(local)) > max(FAINT, FAINT_NOISE * noise)).mean())
    # The shape of the ink: a stroke (○ × ✓) reaches across most of the box, a speck of
    # dust or a dot does not, however dark. Rows and columns holding a few inked pixels.
    # Measured away from the inside's edges, where a soft photo bleeds the printed border in.
    enough, edge = max(2, round(0.3 * CANON_PPM)), 2
    core = inked[edge:-edge, edge:-edge] if min(inked.shape) > 3 * edge else inked
    span = _span(core, enough)
    # The same reach, with "inked" meaning at least REACH_SHARE of this box's own darkest
    # ink: motion blur or a soft focus spreads a thin pen line below the fixed level,
    # yet it still runs across the box, while a blurred dot stays a dot.
    # Measured on a 1 mm mean, which keeps a blurred stroke and quietens a grainy photo
    # (the 5×5 mean's noise is about 0.6 of the 3×3 mean's).
    smooth = cv2.blur(inside, (5, 5)) if inside.size else np.zeros((1, 1), np.float32)
    peak = float(np.percentile(smooth, 98))
    quiet = 0.6 * noise
    reach = 0.0
    if peak >= max(REACH_PEAK, FAINT_NOISE * quiet):
        strong = smooth[edge:-edge, edge:-edge] if min(smooth.shape) > 3 * edge else smooth
        reach = _span(strong > max(REACH_SHARE * peak, 2.0 * quiet), enough)
    # A stroke stands out from the paper a millimetre beside it; the edge of a shadow or a
    # lamp's gradient crossing the box does not (it darkens a whole side of it smoothly).
    sharp = 1.0
    if inside.size:
        reach_px = round(SHARP_MM * CANON_PPM) | 1
        beside = cv2.blur(inside, (reach_px, reach_px), borderType=cv2.BORDER_REFLECT)
        detail = np.clip(local - beside, 0, None)
        sharp = float(detail.sum()) / max(float(np.clip(local, 0, None).sum()), 1e-6)
    return BoxInk(score=score, dark=dark, light=light, ring=ring,
                  shift_mm=(place.shift[0] / CANON_PPM, place.shift[1] / CANON_PPM), found=place.found,
                  border=place.border, span=span, bare=bare,
                  faint=faint, reach=reach, sharp=sharp)



def _span(inked: np.ndarray, enough: int) -> float:
    """How far `inked` reaches across, the shorter way: the share of rows and of columns
    holding at least `enough` inked pixels, the smaller of the two."""
    if not inked.size:
        return 0.0
    return min(float((inked.sum(axis=1) >= enough).mean()), float((inked.sum(axis=0) >= enough).mean()))


def _ring(ink: np.ndarray, x: int, y: int, w: int, h: int, gap_mm: tuple[float, float]
          ) -> tuple[float, float]:
    """Share of dark ink in the free paper just outside a box (strips left and right, the
    box column's margin, and above and below when the row leaves room before its lines),
    and that paper's own ink level (median: what a drift of the light leaves there)."""
    near = round(0.7 * CANON_PPM)
    far_x = round(min(2.2, gap_mm[0] - 0.6) * CANON_PPM)
    far_y = round(min(2.2, gap_mm[1] - 0.5) * CANON_PPM)
    strips = [ink[y:y + h + 1, max(0, x - far_x):max(0, x - near)],
              ink[y:y + h + 1, x + w + near + 1:x + w + far_x + 1]]
    if far_y > near:
        strips += [ink[max(0, y - far_y):max(0, y - near), x:x + w + 1],
                   ink[y + h + near + 1:y + h + far_y + 1, x:x + w + 1]]
    total = sum(strip.size for strip in strips)
    if not total:
        return 0.0, 0.0
    paper = float(np.median(np.concatenate([strip.ravel() for strip in strips if strip.size])))
    return float(sum(int((strip > DARK).sum()) for strip in strips) / total), paper


class NameInk(NamedTuple):
    share: float         # of the area's pixels, stroke pixels
    span: float          # mm across that the strokes reach
    flat: bool = False   # they lie in one band lower than NAME_MIN_HEIGHT_MM (pen level only)


def name_ink(m: InkMap, rect: dict[str, float], level: float = DARK, mean_px: int = 3,
             local: bool = False) -> NameInk:
    """Handwriting in a write-in name area: (share of pixels darker than `level`, width
    in mm that they span), after printed lines are taken away: the writing line (a third
    of the area long), a row border crossing the whole area, and the area's edge band,
    where a row border lands when a curled page has moved the row. A lower `level`
    finds a name written in pencil; a wider `mean_px` a faint one on a grainy photo.
    `local`: ink is counted above its surroundings' mean (NAME_BACKGROUND_MM across),
    so a shadow's smooth shade over the area, which the paper estimate cannot follow
    closely, does not pass for faint writing."""
    fx, fy = m.px(rect["x"], rect["y"])
    x, y = round(fx), round(fy)
    w, h = round(rect["w"] * CANON_PPM), round(rect["h"] * CANON_PPM)
    area = m.ink[max(0, y):y + h, max(0, x):x + w]
    if area.size == 0:
        return NameInk(0.0, 0.0)
    if level < DARK:  # light strokes: a 3×3 (or wider) mean, so the grain of a dim photo does not count
        area = cv2.blur(area, (mean_px, mean_px))
    if local:
        reach = round(NAME_BACKGROUND_MM * CANON_PPM) | 1
        area = area - cv2.blur(area, (reach, reach), borderType=cv2.BORDER_REFLECT)
    dark = (area > level).astype(np.uint8)
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // 3), 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, h - 2)))  # a border crosses the area
    # The writing line is printed dashed: its gaps are bridged before the long runs are
    # looked for, and a pixel either side is allowed (a curled page moves the line into
    # the area, off the edge band, and bends it by a pixel or two along its length).
    gap = np.ones((1, max(3, round(NAME_DASH_GAP_MM * CANON_PPM))), np.uint8)
    bridged = cv2.dilate(cv2.morphologyEx(dark, cv2.MORPH_CLOSE, gap), np.ones((3, 1), np.uint8))
    lines_across = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, across)
    lines_down = cv2.morphologyEx(cv2.dilate(dark, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN, down)
    # A printed line is thin. A long band thicker than that is writing (a name smeared
    # by motion blur from the area's top to its writing line), never taken away.
    thick = max(3, round(NAME_LINE_MAX_MM * CANON_PPM))
    lines_across = cv2.subtract(lines_across, cv2.morphologyEx(lines_across, cv2.MORPH_OPEN,
                                                               np.ones((thick + 2, 1), np.uint8)))
    lines_down = cv2.subtract(lines_down, cv2.morphologyEx(lines_down, cv2.MORPH_OPEN,
                                                           np.ones((1, thick), np.uint8)))
    line = np.maximum(cv2.dilate(lines_across, np.ones((3, 1), np.uint8)),
                      cv2.dilate(lines_down, np.ones((1, 3), np.uint8)))
    strokes = np.logical_and(dark, line == 0).astype(np.uint8)
    edge = max(1, round(NAME_EDGE_MM * CANON_PPM))
    strokes[:edge, :] = 0
    strokes[-edge:, :] = 0
    strokes[:, :edge] = 0
    strokes[:, -edge:] = 0
    strokes = cv2.morphologyEx(strokes, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    flat = bool(_flat(strokes))
    if level < DARK and flat:
        # At the pencil level a printed row border (thickened by the blur, broken into
        # pieces the line filter does not take) shows as a band a pixel or two high
        # across the area; handwriting, even small, is taller than that.
        return NameInk(0.0, 0.0)
    columns = np.nonzero(strokes.any(axis=0))[0]
    span = float(columns[-1] - columns[0] + 1) / CANON_PPM if columns.size else 0.0
    # At the pen level a flat band is either what is left of a printed line (a dashed
    # writing line with worn gaps, moved by a curl) or a name the photo broke up into
    # a few pieces (a fine pen on a large photo): the caller leaves it to a person.
    return NameInk(float(strokes.mean()), span, flat)


def _flat(strokes: np.ndarray) -> bool:
    """Whether the ink found lies in one band lower than NAME_MIN_HEIGHT_MM (rows with a
    few stroke pixels; lone specks are ignored)."""
    rows = np.nonzero(strokes.sum(axis=1) >= 3)[0]
    return rows.size > 0 and (rows[-1] - rows[0] + 1) / CANON_PPM < NAME_MIN_HEIGHT_MM


def crop_png(m: InkMap, rect: dict[str, float], margin_mm: float = 1.0) -> bytes:
    """The name area as photographed, upright, with its contrast stretched, as PNG."""
    fx, fy = m.px(rect["x"] - margin_mm, rect["y"] - margin_mm)
    x, y = max(0, round(fx)), max(0, round(fy))
    w = round((rect["w"] + 2 * margin_mm) * CANON_PPM)
    h = round((rect["h"] + 2 * margin_mm) * CANON_PPM)
    area = m.ink[y:y + h, x:x + w]
    picture = np.clip(255.0 * (1.0 - np.clip(area, 0, 1)), 0, 255).astype(np.uint8)
    ok, png = cv2.imencode(".png", picture, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise RuntimeError("PNG encoding failed")
    return png.tobytes()
