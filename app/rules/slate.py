"""R7 Candidate slate (条例 Art.12; 差额率不低于5%).

A differential contest needs C ≥ S + max(1, ceil(S·rate/100)) candidates; an equal
contest exactly C = S. Voting may not open on a slate that breaks this.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SlateCheck:
    ok: bool
    min_candidates: int
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "min_candidates": self.min_candidates, "problems": list(self.problems)}


def differential_margin(seats: int, rate_percent: int = 5) -> int:
    """R7: how many more candidates than seats: max(1, ceil(S·rate/100)), in integers."""
    return max(1, (seats * rate_percent + 99) // 100)


def min_candidates(method: str, seats: int, rate_percent: int = 5) -> int:
    """R7: the least number of printed candidates for this method and S."""
    if method == "equal":
        return seats
    return seats + differential_margin(seats, rate_percent)


def check_slate(method: str, seats: int, candidates: int, rate_percent: int = 5) -> SlateCheck:
    """R7: does a slate of `candidates` (C) people fit `seats` (S) under `method`?"""
    least = min_candidates(method, seats, rate_percent)
    problems: list[str] = []
    if seats < 1:
        problems.append(f"应选名额须至少为 1，现为 {seats}。")
    if method == "equal" and candidates != seats:
        problems.append(f"等额选举的候选人数须等于应选名额：应选 {seats} 名，候选人 {candidates} 名。")
    elif method == "differential" and candidates < least:
        problems.append(
            f"差额选举候选人数不足：应选 {seats} 名，差额率不低于 {rate_percent}%，"
            f"候选人至少 {least} 名，现有 {candidates} 名。")
    elif method not in ("equal", "differential"):
        problems.append(f"未知的选举方式 {method}。")
    return SlateCheck(ok=not problems, min_candidates=least, problems=problems)
