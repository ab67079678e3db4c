"""From box ink to a verdict, decided against this page's own empty boxes.

A ballot has many boxes and every candidate row has at least one empty one, so each
page shows what "empty" looks like in this very photo: the lighter box of every row
gives the empty boxes' typical ink and how much it varies (median and MAD, robust to the
odd marked pair). A box's evidence is its ink above that level in units of that
spread, for two measures: the mean ink (score) and the share of the inside touched by
ink of any strength (light; thin pen and pencil strokes cover little area but are
many times the noise). As VxSuite does, two thresholds: at or above `definite` a box
is marked, below `marginal` it is empty, and the band between goes to a person. So a
box clearly darker than this page's empty boxes is never read as empty, and noise in
a dim or grainy photo never reads as a mark.

The shape of the ink counts too: a mark reaches across the box (○, ×, ✓ all do); a
dark speck that does not is left to a person however dark it is. The thresholds come
from `scripts/bench_scan.py --report` on the stress deck.

A candidate row is read only when both its boxes are decided and at most one is
marked; a mark that runs over its box edge is also left to a person.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from .score import BoxInk

K = TypeVar("K", bound=Hashable)

# The empty boxes' spread is never taken below these (a page of two boxes, a photo so
# clean that its empty boxes are all alike).
MIN_SCORE_SPREAD = 0.004
MIN_LIGHT_SPREAD = 0.01
# … but a box is only called empty when its mean ink is within MARGINAL_Z of the empty
# boxes' own spread, floored much lower: on a clean page a blurred light pencil mark
# raises a box by 0.008 where the empty boxes stray by 0.001 (a fold's shade by up to
# 0.007: below that, the page rule `marks_may_hide` guards the faintest pencil).
QUIET_SPREAD = 0.0025
# Marked: ink this many spreads above the page's empty boxes on both measures, above a
# small absolute floor, reaching across at least DEFINITE_SPAN of the box.
DEFINITE_Z = 8.0
WEAKER_Z = 5.0        # … the other measure at least this many spreads above the empty boxes
LIGHT_WEIGHT = 2.0    # the light share counts double: a thin ✓ covers little but is far above noise
DEFINITE_SCORE, DEFINITE_LIGHT, DEFINITE_SPAN = 0.012, 0.03, 0.3
# … or, for a stroke the photo spread thin, mean ink alone this far above them (both
# spreads), reaching across the box (score.py's `reach`).
STRONG_Z, STRONG_SCORE, STRONG_REACH = 9.5, 0.024, 0.45
# Empty: below this many spreads on both measures (or next to no ink at all).
MARGINAL_Z = 3.0
EMPTY_SCORE = 0.008   # … and, whatever the page's spread, less mean ink than the faintest pencil ○
# Or no stroke at all: nothing standing out from the box's own background and next to
# no mean ink. (A blurred light pencil ○ and a drift of the light across a box can
# measure alike; both go to a person rather than risk an abstain.)
NO_INK_LIGHT, DRIFT_SCORE = 0.015, 0.005
FAINT_EMPTY = 0.05    # share of faint strokes (score.py) an empty box never shows
# Dark ink in the free paper just outside a box: a marked box whose mark runs over its
# edge, or an empty box with something drawn around it.
CROSSING_RING = 0.06
AROUND_RING = 0.08
LOW_CONFIDENCE = 0.62
# A mark's ink stands out from the paper a millimetre or two beside it (score.py's
# `sharp`: strokes 0.2-0.6 even blurred, a shadow's edge across a box under 0.05) unless
# the box is filled (this share of it dark).
SHARP_STROKE, FILLED = 0.1, 0.5
# A page whose voter's marks (the median of its non-empty boxes) stand less than this
# many of the empty boxes' own spreads above them: the voter's fainter marks can hide
# among the empty boxes, so no row of it is read as abstain.
PAGE_CONTRAST = 10.0
# … or less than this many on a page where some box's border could not be seen.
UNSEEN_CONTRAST = 20.0
# Settling undecided boxes against the voter's own marks (`settle_by_page`; thresholds
# from `scripts/bench_scan.py --report` and the stress deck's seeds 7 and 31).
VOTER_MARKS = 3            # marks needed to know the voter's own
VOTER_EMPTY_SHARE, VOTER_EMPTY_MAX = 0.15, 0.03  # strokeless and this far under their mark: empty
VOTER_TRACE_SHARE = 0.05   # … or with a faint edge only, this far under it
STROKELESS_FAINT = 0.02
CLUSTER_GAP, CLUSTER_MIN_MAD = 6.0, 0.0005  # marks this many empty-box spreads above them
CLUSTER_MARK, CLUSTER_EMPTY = 0.5, 0.25     # share of the voter's mark level: the two groups
CLUSTER_FAINT = 0.02       # … and a mark shows a faint line
SETTLED_CONFIDENCE = 0.7
# A lone stroke (`settle_lone_strokes`): a faint line this clear, standing out from the
# paper a millimetre beside it, with this much mean ink (in the empty boxes' spreads
# and as a share of the voter's typical mark), on a page whose boxes all sat within
# CALM_SHIFT_MM of where the homography put them.
LONE_FAINT, LONE_SHARP, LONE_Z, LONE_SHARE = 0.03, 0.15, 2.0, 0.5
CALM_SHIFT_MM = 1.0
# A voter whose every inked box is a definite mark with a faint line this clear (at
# least CLEAR_MARKS of them) does not hide fainter marks among the empty boxes.
CLEAR_MARKS, CLEAR_FAINT = 5, 0.1


@dataclass(frozen=True)
class EmptyBoxes:
    """What this page's empty boxes look like: typical ink and its spread."""

    score: float
    score_spread: float
    light: float
    light_spread: float
    quiet_spread: float = QUIET_SPREAD  # the score's own spread, floored at QUIET_SPREAD
    score_mad: float = 0.0              # the score's own spread, not floored


def empty_boxes(lighter: Sequence[BoxInk]) -> EmptyBoxes:
    """From the lighter box of every candidate row (an empty box in each row the voter
    did not mark twice)."""
    if not lighter:
        return EmptyBoxes(0.0, MIN_SCORE_SPREAD, 0.0, MIN_LIGHT_SPREAD, MIN_SCORE_SPREAD)
    scores = np.array([b.score for b in lighter])
    lights = np.array([b.light for b in lighter])
    score, light = float(np.median(scores)), float(np.median(lights))
    score_spread = 1.4826 * float(np.median(np.abs(scores - score)))
    light_spread = 1.4826 * float(np.median(np.abs(lights - light)))
    return EmptyBoxes(score, max(score_spread, MIN_SCORE_SPREAD), light,
                      max(light_spread, MIN_LIGHT_SPREAD), max(score_spread, QUIET_SPREAD), score_spread)


@dataclass(frozen=True)
class BoxVerdict:
    state: str          # marked | empty | faint | smudged | not_found
    score: float        # mean ink above the page's empty boxes (kept in the answer)
    confidence: float   # 0.6 … 1 for decided boxes, 0 for undecided
    crossing: bool      # ink just outside the box (over its edge, or around it)
    evidence: float = 0.0  # spreads above the page's empty boxes (the weaker measure)


def judge_box(box: BoxInk, empty: EmptyBoxes) -> BoxVerdict:
    score = box.score - empty.score
    z_score = score / empty.score_spread
    # On a grainy page the light level rises with the grain and a thin stroke can fall
    # under it; when the mean ink is far above the empty boxes, the share above the
    # fixed level (which the grain alone does not reach in an empty box) counts instead.
    strong = z_score >= 1.5 * DEFINITE_Z and score >= 2 * EMPTY_SCORE
    light = (max(box.light, box.bare) if strong else box.light) - empty.light
    z_light = light / empty.light_spread
    # Marked when one measure is definite and the other at least marginal (each page's
    # grain and light drift weigh on them differently).
    weaker, stronger = sorted((z_score, LIGHT_WEIGHT * z_light))
    evidence = min(stronger, DEFINITE_Z / WEAKER_Z * weaker)
    if not box.found:  # its printed border is not where it should be: do not guess
        return BoxVerdict("not_found", score, 0.0, False, evidence)
    # A smooth shade (a shadow's or a lamp's edge crossing the box) is never a mark,
    # however much ink it measures; a filled box is smooth but dark.
    stroke = box.sharp >= SHARP_STROKE or box.dark >= FILLED
    if (evidence >= DEFINITE_Z and score >= DEFINITE_SCORE and light >= DEFINITE_LIGHT
            and box.span >= DEFINITE_SPAN and stroke):
        margin = (evidence - DEFINITE_Z) / DEFINITE_Z
        return BoxVerdict("marked", score, 0.6 + 0.4 * min(max(margin, 0.0), 1.0),
                          box.ring >= CROSSING_RING, evidence)
    # A thin pen line under motion blur or soft focus: far more mean ink than any empty
    # box on this page, spread below the fixed "inked" level, yet still reaching across
    # the box at a level relative to its own darkest (a blurred dot does not).
    if (z_score >= STRONG_Z and score >= STRONG_SCORE and score >= STRONG_Z * empty.quiet_spread
            and box.reach >= STRONG_REACH and stroke):
        margin = (z_score - STRONG_Z) / STRONG_Z
        return BoxVerdict("marked", score, 0.6 + 0.4 * min(max(margin, 0.0), 1.0),
                          box.ring >= CROSSING_RING, evidence)
    strongest = max(z_score, LIGHT_WEIGHT * z_light)
    no_stroke = box.faint < NO_INK_LIGHT and box.span == 0.0 and score < DRIFT_SCORE
    quiet = score < MARGINAL_Z * empty.quiet_spread
    if (strongest < MARGINAL_Z and quiet and score < EMPTY_SCORE and box.faint < FAINT_EMPTY) or no_stroke:
        margin = 1.0 - max(strongest, 0.0) / MARGINAL_Z
        if no_stroke:  # not one inked pixel: a drift of the light, not a doubtful mark
            margin = max(margin, 0.5)
        return BoxVerdict("empty", score, 0.6 + 0.4 * min(max(margin, 0.0), 1.0),
                          box.ring >= AROUND_RING, evidence)
    # Between the two: ink clearly above the empty boxes but not a clear mark (a faint
    # or tiny mark, an erased one, a grey smudge, a speck): a person looks.
    return BoxVerdict("faint" if box.span >= DEFINITE_SPAN else "smudged", score, 0.0, False, evidence)


def marks_may_hide(boxes: Mapping[K, BoxInk], verdicts: Mapping[K, BoxVerdict], empty: EmptyBoxes) -> bool:
    """Whether a mark as faint as this voter's could pass for an empty box on this page.
    The voter's marks are the boxes not judged empty (some doubtful) whose border was
    seen. A light pencil under blur on a grainy photo leaves its marks among the empty
    boxes' spread: reading its unmarked-looking rows as abstain would miss marks silently.
    Without any mark, the page itself must show the faintest pencil mark (EMPTY_SCORE)
    above its empty boxes' spread. Where a box's border could not be seen (washed out by
    glare, say), marks standing less than UNSEEN_CONTRAST spreads above the empty boxes
    may hide too: one such mark beside the washed-out boxes measured as an empty box.

    Unless every inked box is a definite mark showing a clear faint line (at least
    CLEAR_MARKS of them): where this voter's lightest mark still stands out as a stroke,
    a mark of theirs lost in the grain would have to be far fainter than any other. (On
    the stress deck the pages that lost marks all had marks trailing down to a faint
    line of 0.035 or less, or doubtful boxes.)"""
    # A box whose border was not seen (washed out by glare, say) says nothing of the
    # voter's marks, whatever it measures.
    inked = [key for key, verdict in verdicts.items() if verdict.state not in ("empty", "not_found")]
    if not inked:
        return MARGINAL_Z * empty.quiet_spread > EMPTY_SCORE
    contrast = float(np.median([verdicts[key].score for key in inked])) / empty.quiet_spread
    if contrast < UNSEEN_CONTRAST and any(verdict.state == "not_found" for verdict in verdicts.values()):
        return True  # what washed a box's border out (glare, say) may have washed a faint mark out too
    if contrast >= PAGE_CONTRAST:
        return False
    clear = len(inked) >= CLEAR_MARKS and all(
        verdicts[key].state == "marked" and boxes[key].faint >= CLEAR_FAINT for key in inked)
    return not clear


def _edges_only(box: BoxInk, empty: EmptyBoxes) -> bool:
    """Nothing above the page's inked level and no reach across the box: at most a faint
    edge (a bled-in border, the grain)."""
    return box.found and box.light <= empty.light and box.span == 0.0 and box.reach < STRONG_REACH


def _strokeless(box: BoxInk, empty: EmptyBoxes) -> bool:
    """No sign of a stroke at all: `_edges_only`, and no faint line standing out from
    the box's own paper either."""
    return _edges_only(box, empty) and box.faint < STROKELESS_FAINT


def settle_by_page(boxes: Mapping[K, BoxInk], verdicts: Mapping[K, BoxVerdict], empty: EmptyBoxes
                   ) -> dict[K, BoxVerdict]:
    """Boxes the first look left to a person, settled against this voter's own marks
    (as AuditEngine adapts to each voter), on pages where that is unambiguous:

    1. A voter whose marks are clear (at least three definite ones): a box with no sign
       of a stroke and mean ink under VOTER_EMPTY_SHARE of their typical mark is empty
       (the grey of a shadow or a fold, not a mark of this pen).
    2. A page whose boxes with a stroke fall in two groups (the voter's marks, all about
       as dark, and the empty boxes, all about as light) with no stroke in between: a
       box in the marks' group that shows a faint line is marked, and a box without a
       stroke under VOTER_EMPTY_SHARE of the marks' level is empty. A light pencil
       voter's whole ballot is then read, not sent to a person box by box. Any stroke
       between the groups keeps the whole page as it was; a strokeless grey box (a
       shade, a smear) does not hold the page back but stays for a person unless it is
       that light.
    """
    settled = dict(verdicts)
    undecided = [key for key, verdict in verdicts.items() if verdict.state in ("faint", "smudged")]
    if not undecided:
        return settled
    typical = _voters_mark(verdicts)
    if typical is not None:
        limit = min(max(EMPTY_SCORE, VOTER_EMPTY_SHARE * typical), VOTER_EMPTY_MAX)
        trace = VOTER_TRACE_SHARE * typical
        for key in undecided:
            box = boxes[key]
            if _strokeless(box, empty) and verdicts[key].score < limit:
                settled[key] = _as("empty", verdicts[key], box)
            elif _edges_only(box, empty) and verdicts[key].score < trace:
                # Next to no ink for this voter, only a faint edge (a printed border the
                # photo bled in, the grain): not a mark of theirs.
                settled[key] = _as("empty", verdicts[key], box)
    # The voter's marks: the boxes with ink and some sign of a stroke (a strokeless grey
    # box is a shade or a smear, whatever its level).
    stroked = {key for key, verdict in settled.items()
               if verdict.state != "empty" and not _strokeless(boxes[key], empty)}
    inked = [settled[key].score for key in stroked]
    if len(inked) < VOTER_MARKS:
        return settled
    level = float(np.median(inked))  # this voter's typical mark, above the empty boxes
    if level < EMPTY_SCORE or level < CLUSTER_GAP * max(empty.score_mad, CLUSTER_MIN_MAD):
        return settled
    if any(CLUSTER_EMPTY * level < settled[key].score < CLUSTER_MARK * level for key in stroked):
        return settled  # a stroke between the groups: the page is not two clean groups
    for key, verdict in list(settled.items()):
        box = boxes[key]
        if verdict.state not in ("faint", "smudged") or not box.found:
            continue
        if verdict.score >= CLUSTER_MARK * level and box.faint >= CLUSTER_FAINT:
            settled[key] = _as("marked", verdict, box)
        elif verdict.score <= min(VOTER_EMPTY_SHARE * level, VOTER_EMPTY_MAX) and _strokeless(box, empty):
            settled[key] = _as("empty", verdict, box)
    return settled


def settle_lone_strokes(boxes: Mapping[K, BoxInk], verdicts: Mapping[K, BoxVerdict], empty: EmptyBoxes,
                        rows: Sequence[tuple[K, K]]) -> dict[K, BoxVerdict]:
    """3. A box left to a person whose row partner is empty, on a page that sat where the
    homography put it: marked when its ink is a stroke (a clear faint line standing out
    from the paper beside it: not a shade, a smear or the grain) with mean ink clearly
    above the empty boxes and at least LONE_SHARE of the voter's typical mark. A light
    pencil voter's ○ and × that the page's other rules could not settle are then read
    (the row's other box is empty, as for any definite mark). On a page that bends, a
    box measured a millimetre off holds a stretch of its own printed border, which looks
    like such a line; there nothing is settled."""
    settled = dict(verdicts)
    if any(max(abs(box.shift_mm[0]), abs(box.shift_mm[1])) >= CALM_SHIFT_MM for box in boxes.values()):
        return settled
    level = _voters_mark(verdicts) or 0.0
    for pair in rows:
        for key, partner in (pair, pair[::-1]):
            verdict, box = verdicts[key], boxes[key]
            if (verdict.state in ("faint", "smudged") and verdicts[partner].state == "empty"
                    and box.faint >= LONE_FAINT and box.sharp >= LONE_SHARP
                    and verdict.score >= max(LONE_Z * empty.score_spread, LONE_SHARE * level)):
                settled[key] = _as("marked", verdict, box)
    return settled


def _voters_mark(verdicts: Mapping[K, BoxVerdict]) -> float | None:
    """The voter's typical clear mark (ink above the empty boxes), known from at least
    VOTER_MARKS definite marks; None with fewer."""
    marks = [verdict.score for verdict in verdicts.values() if verdict.state == "marked"]
    return float(np.median(marks)) if len(marks) >= VOTER_MARKS else None


def _as(state: str, verdict: BoxVerdict, box: BoxInk) -> BoxVerdict:
    crossing = box.ring >= (CROSSING_RING if state == "marked" else AROUND_RING)
    return BoxVerdict(state, verdict.score, SETTLED_CONFIDENCE, crossing, verdict.evidence)


def judge_candidate(yes: BoxVerdict, no: BoxVerdict) -> tuple[str, str | None, float]:
    """(verdict, reason to look, confidence) for one printed candidate."""
    for box in (yes, no):
        if box.state in ("faint", "smudged"):
            return "unsure", box.state, 0.0
        if box.state == "not_found":
            return "unsure", "box_not_found", 0.0
    if yes.state == "marked" and no.state == "marked":
        return "unsure", "both_marked", 0.0
    for verdict, box in (("yes", yes), ("no", no)):
        if box.state == "marked":
            if box.crossing:
                return "unsure", "crosses_box", 0.0
            return verdict, None, min(yes.confidence, no.confidence)
    if yes.crossing or no.crossing:
        return "unsure", "mark_beside_box", 0.0
    return "abstain", None, min(yes.confidence, no.confidence)


def judge_write_in_mark(box: BoxVerdict) -> tuple[str, str | None]:
    if box.state == "marked":
        return ("unsure", "crosses_box") if box.crossing else ("yes", None)
    if box.state == "empty":
        return ("unsure", "mark_beside_box") if box.crossing else ("none", None)
    if box.state == "not_found":
        return "unsure", "box_not_found"
    return "unsure", "unsure_mark"
