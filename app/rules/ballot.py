"""R3 Ballot validity ("每张选票所选人数等于或少于规定应选人数的为有效票，多于规定应选人数的为无效票").

approvals = candidates marked approve + write-ins counted as approve.
approvals > S → the whole ballot is invalid (废票): it counts in R and gives nobody a vote.
approvals ≤ S → valid, a blank ballot included.

A mark that cannot be read: setting `unreadable` — `void_ballot` (default: the whole
ballot is invalid, "作为废票处理") or `count_as_abstain` (only that entry is abstain).
A write-in counts only when its approve box is marked, unless `write_in_needs_yes_mark`
is false. A write-in whose name (white space removed) equals exactly one printed
candidate's name is an approval of that candidate. Nobody gets more than one approval
from one ballot.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Ballot, Contest
from .names import normalize_name

DECLARED_INVALID = "declared_invalid"  # torn, identifying marks… (tellers' decision)
UNREADABLE = "unreadable"  # a mark that cannot be read, under `void_ballot`
OVERVOTE = "overvote"  # more approvals than seats

REASON_TEXT = {
    DECLARED_INVALID: "计票人当场认定无效（破损、作记号等）",
    UNREADABLE: "有无法辨认的标记，按设置作废票处理",
    OVERVOTE: "所选人数多于应选名额",
}


@dataclass(frozen=True)
class Verdict:
    """What one ballot gives: valid or not (with the reason), and to whom."""

    valid: bool
    reason: str | None
    approvals: int
    yes: tuple[str, ...] = ()  # printed candidates approved, by ref
    no: tuple[str, ...] = ()  # printed candidates disapproved, by ref
    write_ins: tuple[str, ...] = ()  # other people approved, by normalized name


class BallotJudge:
    """Applies R3 to the ballots of one contest round."""

    def __init__(self, contest: Contest) -> None:
        self.seats = contest.seats
        self.rules = contest.rules
        by_name: dict[str, list[str]] = {}
        for candidate in contest.candidates:
            by_name.setdefault(normalize_name(candidate.name), []).append(candidate.ref)
        # Only a name that points at exactly one printed candidate is that candidate.
        self.ref_by_name = {name: refs[0] for name, refs in by_name.items() if len(refs) == 1}

    def judge(self, ballot: Ballot) -> Verdict:
        """R3: is this ballot valid, and whom does it approve and disapprove?"""
        if ballot.invalid:
            return Verdict(False, DECLARED_INVALID, 0)
        yes: dict[str, None] = {}
        no: dict[str, None] = {}
        unreadable = False
        for ref, mark in ballot.marks.items():
            if mark == "yes":
                yes[ref] = None
            elif mark == "no":
                no[ref] = None
            elif mark == "unreadable":
                unreadable = True
        if unreadable and self.rules.unreadable == "void_ballot":
            return Verdict(False, UNREADABLE, len(yes))
        others: dict[str, None] = {}
        for write_in in ballot.write_ins:
            if write_in.mark != "yes" and self.rules.write_in_needs_yes_mark:
                continue
            name = normalize_name(write_in.name)
            if not name:
                continue
            printed = self.ref_by_name.get(name)
            if printed is not None:
                yes[printed] = None
                no.pop(printed, None)
            else:
                others[name] = None
        approvals = len(yes) + len(others)
        if approvals > self.seats:
            return Verdict(False, OVERVOTE, approvals)
        return Verdict(True, None, approvals, tuple(yes), tuple(no), tuple(others))

    def is_simple(self, ballot: Ballot) -> bool:
        """A ballot with only yes/no/abstain marks: its verdict needs no write-in or unreadable logic."""
        return not ballot.invalid and not ballot.write_ins and "unreadable" not in ballot.marks.values()
