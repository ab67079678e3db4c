"""From box ink to a verdict, with two thresholds per measure (definite and marginal,
as VxSuite does): a box is `marked` only when its ink is well above the page's empty
boxes, `empty` only when it is close to them, and anything in between is left to a
person. A candidate row is read only when both its boxes are decided and at most one
is marked; a mark that runs over its box edge is also left to a person.

Every threshold is in the page's own units: ink is relative to the page's paper and
toner (score.py) and the baseline is the page's own emptiest boxes, so lighting,
exposure and paper colour move nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .score import BoxInk

# A box is marked when a real stroke is in it: enough dark ink (pen, as dark as half
# the toner) and enough ink of any strength; it is empty when there is next to no ink of
# any strength. Between the two (light pencil, a faint or tiny mark, a grey smudge)
# it is undecided.
MARK_DARK, MARK_LIGHT, MARK_SCORE = 0.025, 0.05, 0.025
EMPTY_DARK, EMPTY_LIGHT, EMPTY_SCORE = 0.005, 0.02, 0.08
# Dark ink in the free paper just outside a box: a marked box whose mark runs over its
# edge, or an empty box with something drawn around it.
CROSSING_RING = 0.06
AROUND_RING = 0.08
LOW_CONFIDENCE = 0.62


@dataclass(frozen=True)
class BoxVerdict:
    state: str          # marked | empty | faint | smudged | not_found
    score: float        # mean ink above the page's baseline (kept in the answer)
    confidence: float   # 0.6 … 1 for decided boxes, 0 for undecided
    crossing: bool      # ink just outside the box (over its edge, or around it)


def judge_box(box: BoxInk, baseline: float) -> BoxVerdict:
    score = box.score - baseline
    if not box.found:  # its printed border is not where it should be: do not guess
        return BoxVerdict("not_found", score, 0.0, False)
    if box.dark >= MARK_DARK and box.light >= MARK_LIGHT and score >= MARK_SCORE:
        margin = min((box.dark - MARK_DARK) / 0.03, (box.light - MARK_LIGHT) / 0.05)
        return BoxVerdict("marked", score, 0.6 + 0.4 * min(max(margin, 0.0), 1.0),
                          box.ring >= CROSSING_RING)
    if box.dark < EMPTY_DARK and box.light < EMPTY_LIGHT and score < EMPTY_SCORE:
        margin = min((EMPTY_DARK - box.dark) / EMPTY_DARK, (EMPTY_LIGHT - box.light) / EMPTY_LIGHT)
        return BoxVerdict("empty", score, 0.6 + 0.4 * min(max(margin, 0.0), 1.0),
                          box.ring >= AROUND_RING)
    return BoxVerdict("smudged" if box.dark < EMPTY_DARK and box.light >= MARK_LIGHT else "faint",
                      score, 0.0, False)


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
