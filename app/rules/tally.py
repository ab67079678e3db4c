"""The count of one round (RULES.md §3): per person approve / disapprove / abstain.

For each valid ballot and each printed candidate exactly one of approve, disapprove,
abstain is counted, so abstain = valid − yes − no. The tally only stores yes and no,
which makes adding (and, for a conflict later resolved, removing) a ballot cheap: the
live board keeps one Tally per round and never recounts from scratch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .ballot import BallotJudge, Verdict
from .model import Ballot, Contest


class Tally:
    """Running totals for one round."""

    def __init__(self) -> None:
        self.valid = 0
        self.invalid = 0
        self.invalid_reasons: Counter[str] = Counter()
        self.yes: Counter[str] = Counter()
        self.no: Counter[str] = Counter()
        self.write_in_yes: Counter[str] = Counter()
        self.approvals = 0  # sum of approvals on valid ballots, for the §4 check

    @property
    def recorded(self) -> int:
        return self.valid + self.invalid

    def abstain(self, ref: str) -> int:
        return self.valid - self.yes[ref] - self.no[ref]

    def add(self, verdict: Verdict, sign: int = 1) -> None:
        """Count one judged ballot (sign=-1 takes it back out)."""
        if not verdict.valid:
            self.invalid += sign
            self.invalid_reasons[verdict.reason or ""] += sign
            return
        self.valid += sign
        self.approvals += sign * verdict.approvals
        for ref in verdict.yes:
            self.yes[ref] += sign
        for ref in verdict.no:
            self.no[ref] += sign
        for name in verdict.write_ins:
            self.write_in_yes[name] += sign

    def remove(self, verdict: Verdict) -> None:
        self.add(verdict, sign=-1)

    def as_dict(self) -> dict:
        """A JSON-able snapshot, for storing a live tally beside its round."""
        return {"valid": self.valid, "invalid": self.invalid,
                "invalid_reasons": dict(self.invalid_reasons), "yes": dict(self.yes),
                "no": dict(self.no), "write_in_yes": dict(self.write_in_yes),
                "approvals": self.approvals}

    @classmethod
    def from_dict(cls, data: dict) -> Tally:
        tally = cls()
        tally.valid, tally.invalid = data["valid"], data["invalid"]
        tally.invalid_reasons.update(data["invalid_reasons"])
        tally.yes.update(data["yes"])
        tally.no.update(data["no"])
        tally.write_in_yes.update(data["write_in_yes"])
        tally.approvals = data["approvals"]
        return tally


def count_ballots(contest: Contest, ballots: Iterable[Ballot]) -> Tally:
    """Tally every ballot of a round (R3 per ballot, then §3 per person).

    Ballots with only yes/no/abstain marks — nearly all of them — take a fast path
    that counts their (candidate, mark) pairs in C through Counter.update; every other
    ballot goes through BallotJudge.judge. A property test checks that both paths agree
    with judging every ballot one by one.
    """
    judge = BallotJudge(contest)
    tally = Tally()
    pairs: Counter[tuple[str, str]] = Counter()
    count_pairs = pairs.update
    seats = contest.seats
    for ballot in ballots:
        # The same test as BallotJudge.is_simple, inlined: this loop runs once per ballot.
        if not ballot.invalid and not ballot.write_ins:
            marks = list(ballot.marks.values())
            if "unreadable" not in marks:
                approvals = marks.count("yes")
                if approvals <= seats:
                    tally.valid += 1
                    tally.approvals += approvals
                    count_pairs(ballot.marks.items())
                    continue
        tally.add(judge.judge(ballot))
    for (ref, mark), n in pairs.items():
        if mark == "yes":
            tally.yes[ref] += n
        elif mark == "no":
            tally.no[ref] += n
    return tally
