"""R2 Round validity ("收回的选票等于或者少于发出的选票，选举有效；多于发出的选票，选举无效").

A round with more ballots in the box (R) than were handed out (I) is void as a whole:
no result, and a new round is held.
"""

from __future__ import annotations


def round_valid(ballots_issued: int, ballots_returned: int) -> bool:
    """R2: R ≤ I."""
    return ballots_returned <= ballots_issued


def counting_complete(recorded: int, ballots_returned: int) -> bool:
    """RULES.md §4: counting is complete when every returned ballot is recorded."""
    return recorded == ballots_returned
