"""R1 Quorum (条例 Art.17; 企业主席办法 Art.16).

"参加选举的人数为应到会人数的三分之二以上时，方可进行选举" — "以上" includes the
number itself (民法典 Art.1259), so the default is 3·P ≥ 2·E. Members on leave stay in E.
Some plenaries' election methods require four fifths: "五分之四以上" (5·P ≥ 4·E) or
"超过五分之四" (5·P > 4·E).
"""

from __future__ import annotations


def quorum_met(entitled: int, present: int, rule: str = "at_least_two_thirds") -> bool:
    """R1: may this round be held with `present` (P) of `entitled` (E) voters taking part?"""
    if rule == "at_least_two_thirds":
        return 3 * present >= 2 * entitled
    if rule == "more_than_two_thirds":
        return 3 * present > 2 * entitled
    if rule == "more_than_half":
        return 2 * present > entitled
    if rule == "at_least_four_fifths":
        return 5 * present >= 4 * entitled
    if rule == "more_than_four_fifths":
        return 5 * present > 4 * entitled
    raise ValueError(f"unknown quorum rule {rule!r}")


def quorum_needed(entitled: int, rule: str = "at_least_two_thirds") -> int:
    """R1: the least P that meets the quorum, for the live figure shown to the secretariat."""
    if rule == "at_least_two_thirds":
        return (2 * entitled + 2) // 3
    if rule == "more_than_two_thirds":
        return (2 * entitled) // 3 + 1
    if rule == "more_than_half":
        return entitled // 2 + 1
    if rule == "at_least_four_fifths":
        return (4 * entitled + 4) // 5
    if rule == "more_than_four_fifths":
        return (4 * entitled) // 5 + 1
    raise ValueError(f"unknown quorum rule {rule!r}")
