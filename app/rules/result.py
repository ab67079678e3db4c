"""R11 Record: the result of one round, exactly as `union-ballot-result/1` states it.

`decide` is the single place where the rules meet: quorum (R1), round validity (R2),
completeness (§4), threshold (R4), selection and ties (R5), shortfall (R6), slate (R7),
size (R8) and name order (R9). The live board, the recount of an export and the
printed report all call it.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .model import Contest
from .names import name_order_key
from .quorum import quorum_met
from .rounds import counting_complete, round_valid
from .selection import Person, Selection, select
from .size import size_warning
from .slate import check_slate
from .tally import Tally
from .threshold import qualifies, threshold, threshold_base

RESULT_FORMAT = "union-ballot-result/1"


class BallotCounts(TypedDict):
    recorded: int
    valid: int
    invalid: int


class TallyRow(TypedDict):
    ref: str | None  # None for a write-in
    name: str
    write_in: bool
    yes: int
    no: int
    abstain: int
    qualified: bool
    status: str  # elected | tie | not_elected


class NamedRef(TypedDict):
    ref: str | None
    name: str


class Revote(TypedDict):
    seats: int
    candidates: list[NamedRef]


class Result(TypedDict):
    """A `union-ballot-result/1` document (../shared/spec/election-record.md)."""

    format: str
    outcome: str  # decided | revote | shortfall | void | no_quorum | incomplete
    quorum_met: bool
    round_valid: bool
    counting_complete: bool
    slate: dict[str, Any]
    size_warning: str | None
    ballots: BallotCounts
    threshold: int
    tally: list[TallyRow]
    elected: list[NamedRef]
    revote: Revote | None
    open_seats: int
    rules: dict[str, Any]


def people(contest: Contest, tally: Tally) -> list[Person]:
    """Everyone who can be elected: every printed candidate, then every write-in with a
    counted approval; each group in stroke order (R9)."""
    printed = [Person(c.ref, c.name, False, tally.yes[c.ref], tally.no[c.ref],
                      tally.abstain(c.ref), c.note) for c in contest.candidates]
    printed.sort(key=_order)
    written = [Person(None, name, True, yes, 0, 0)
               for name, yes in tally.write_in_yes.items() if yes > 0]
    written.sort(key=_order)
    return printed + written


def _order(person: Person) -> tuple:
    """R9, then note and ref so that two people of the same name keep a fixed order."""
    return (name_order_key(person.name), person.note or "", person.ref or "")


def decide(contest: Contest, tally: Tally) -> Result:
    """The `union-ballot-result/1` document for one round."""
    rules = contest.rules
    has_quorum = quorum_met(contest.entitled, contest.present, rules.quorum)
    valid_round = round_valid(contest.ballots_issued, contest.ballots_returned)
    complete = counting_complete(tally.recorded, contest.ballots_returned)
    base = threshold_base(rules.threshold_base, entitled=contest.entitled,
                          present=contest.present, returned=contest.ballots_returned,
                          valid=tally.valid)
    everyone = people(contest, tally)
    qualified = [person for person in everyone if qualifies(person.yes, base)]

    if not has_quorum:
        outcome, selection = "no_quorum", Selection()
    elif not valid_round:
        outcome, selection = "void", Selection()
    elif not complete:
        outcome, selection = "incomplete", Selection()
    else:
        selection = select(qualified, contest.seats, rules.tie_break)
        if selection.tied:
            outcome = "revote"
        elif selection.open_seats:
            outcome = "shortfall"
        else:
            outcome = "decided"

    elected_ids = {id(person) for person in selection.elected}
    tied_ids = {id(person) for person in selection.tied}
    qualified_ids = {id(person) for person in qualified}
    slate = check_slate(contest.method, contest.seats, len(contest.candidates),
                        rules.differential_rate_percent)
    return {
        "format": RESULT_FORMAT,
        "outcome": outcome,
        "quorum_met": has_quorum,
        "round_valid": valid_round,
        "counting_complete": complete,
        "slate": slate.as_dict(),
        "size_warning": size_warning(contest.members, contest.seats),
        "ballots": {"recorded": tally.recorded, "valid": tally.valid, "invalid": tally.invalid},
        "threshold": threshold(base),
        "tally": [
            {"ref": p.ref, "name": p.name, "write_in": p.write_in, "yes": p.yes, "no": p.no,
             "abstain": p.abstain, "qualified": id(p) in qualified_ids,
             "status": ("elected" if id(p) in elected_ids
                        else "tie" if id(p) in tied_ids else "not_elected")}
            for p in everyone
        ],
        "elected": [{"ref": p.ref, "name": p.name} for p in sorted(selection.elected, key=_order)],
        "revote": ({"seats": selection.revote_seats,
                    "candidates": [{"ref": p.ref, "name": p.name}
                                   for p in sorted(selection.tied, key=_order)]}
                   if selection.tied else None),
        "open_seats": selection.open_seats,
        "rules": rules.as_dict(),
    }


def conservation_problems(contest: Contest, result: Result) -> list[str]:
    """RULES.md §4: the checks every result must pass; an empty list when all hold."""
    problems = []
    counts = result["ballots"]
    if counts["valid"] + counts["invalid"] != counts["recorded"]:
        problems.append("valid + invalid != recorded")
    for row in result["tally"]:
        if not row["write_in"] and row["yes"] + row["no"] + row["abstain"] != counts["valid"]:
            problems.append(f"{row['ref']}: yes + no + abstain != valid")
    if sum(row["yes"] for row in result["tally"]) > contest.seats * counts["valid"]:
        problems.append("approvals exceed seats × valid")
    if result["outcome"] in ("decided", "revote", "shortfall"):
        revote_seats = result["revote"]["seats"] if result["revote"] else 0
        if len(result["elected"]) + revote_seats + result["open_seats"] != contest.seats:
            problems.append("elected + re-vote seats + open seats != seats")
    return problems
