"""R4 Threshold ("被选举人获得应到会人数的过半数赞成票时，始得当选").

A person qualifies iff 2·yes > base, i.e. yes ≥ base // 2 + 1. The default base is E
(everyone entitled to attend), so abstentions, no votes, invalid ballots and absentees
all work against a candidate.
"""

from __future__ import annotations


def threshold_base(rule: str, *, entitled: int, present: int, returned: int, valid: int) -> int:
    """R4: the number whose more-than-half a person needs."""
    bases = {"entitled": entitled, "present": present, "returned_ballots": returned,
             "valid_ballots": valid}
    if rule not in bases:
        raise ValueError(f"unknown threshold base {rule!r}")
    return bases[rule]


def threshold(base: int) -> int:
    """R4: the least number of approvals that is more than half of `base`."""
    return base // 2 + 1


def qualifies(yes: int, base: int) -> bool:
    """R4: 2·yes > base."""
    return 2 * yes > base
