"""What follows a round: R5 re-vote, R6 another election, R1/R2 a new round.

- `revote` (R5): a re-vote round among the tied people for the remaining seats; the
  highest yes wins there.
- `shortfall` (R6) under `another_election`: a new round for the open seats, candidates
  drawn from the printed candidates not elected, by first-round yes order; it stays
  differential when enough candidates exist (R7 margin, never fewer than seats + 1 when
  possible), and R4 applies again. Under `reduce_seats` or `vacant` no round follows.
- `void` (R2) or `no_quorum` (R1): a new round of the same contest, same slate, same seats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .result import Result
from .slate import differential_margin


@dataclass(frozen=True)
class NextRound:
    kind: str  # "revote", "another_election", "repeat", "reduce_seats", "vacant"
    seats: int
    candidate_refs: list[str] = field(default_factory=list)  # printed candidates on the new ballot
    write_in_names: list[str] = field(default_factory=list)  # tied write-ins on a re-vote ballot
    method: str = "differential"


def plan_next_round(result: Result, seats: int, candidate_refs: list[str],
                    shortfall: str = "another_election", rate_percent: int = 5) -> NextRound | None:
    """The round that must follow `result`, or None when the contest is settled (or the
    count is not complete yet)."""
    outcome = result["outcome"]
    if outcome in ("no_quorum", "void"):
        return NextRound("repeat", seats, list(candidate_refs))
    revote = result["revote"]
    if outcome == "revote" and revote is not None:  # a revote outcome always names them
        tied = revote["candidates"]
        return NextRound("revote", revote["seats"],
                         [p["ref"] for p in tied if p["ref"] is not None],
                         [p["name"] for p in tied if p["ref"] is None])
    if outcome != "shortfall":
        return None
    open_seats = result["open_seats"]
    if shortfall in ("reduce_seats", "vacant"):
        return NextRound(shortfall, open_seats)
    return another_election(result, open_seats, rate_percent)


def another_election(result: Result, open_seats: int, rate_percent: int = 5) -> NextRound:
    """R6 另行选举: the not-elected printed candidates by yes, enough to stay differential.

    People tied in yes at the edge of the pool all stay in it, so the pool never
    depends on an arbitrary order among equals.
    """
    pool = sorted((row for row in result["tally"]
                   if not row["write_in"] and row["status"] != "elected"),
                  key=lambda row: -row["yes"])
    wanted = open_seats + differential_margin(open_seats, rate_percent)
    if len(pool) > wanted:
        edge = pool[wanted - 1]["yes"]
        pool = [row for row in pool if row["yes"] >= edge]
    seats = min(open_seats, len(pool))
    method = "differential" if len(pool) > seats else "equal"
    refs = [row["ref"] for row in pool if row["ref"] is not None]  # printed: all have a ref
    return NextRound("another_election", seats, refs, method=method)
