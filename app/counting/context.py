"""A round as counting sees it: its state, its printed slate and settings, as the rules'
Contest value, so that every verdict comes from app.rules (R3) and nowhere else."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..rules import BallotJudge, Candidate, Contest, RuleSettings, sort_by_name
from ..store.states import OPEN, SEALED
from . import messages  # noqa: F401  (registers the area's messages)


@dataclass(frozen=True)
class RoundContext:
    round_id: int
    contest_id: int
    number: int
    state: str
    contest: Contest

    @property
    def refs(self) -> frozenset[str]:
        return frozenset(candidate.ref for candidate in self.contest.candidates)

    def judge(self) -> BallotJudge:
        return BallotJudge(self.contest)


def load_context(db: Database, round_id: int, *, need_open: bool = False) -> RoundContext:
    """The round with its slate in stroke order (R9); with `need_open`, refuse a round
    that is not open for counting or already sealed."""
    row = db.execute(
        "SELECT r.id, r.contest_id, r.number, r.state, r.method, r.seats, r.entitled, r.present,"
        " r.ballots_issued, r.ballots_returned, c.title, c.rules_json, g.members"
        " FROM round r JOIN contest c ON c.id = r.contest_id JOIN congress g ON g.id = c.congress_id"
        " WHERE r.id = ?", [round_id]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "round_not_found", "counting_round_not_found", round_id=round_id)
    if need_open and row["state"] == SEALED:
        raise AppError(Kind.CONFLICT, "round_sealed", "counting_round_sealed")
    if need_open and row["state"] != OPEN:
        raise AppError(Kind.CONFLICT, "round_not_open", "counting_round_not_open", state=row["state"])
    candidates = [Candidate(r["ref"], r["name"], r["note"] or None) for r in db.execute(
        "SELECT c.ref, c.name, c.note FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ?", [round_id])]
    contest = Contest(
        title=row["title"], method=row["method"], seats=row["seats"],
        candidates=tuple(sort_by_name(candidates, lambda c: c.name, lambda c: (c.ref,))),
        entitled=row["entitled"] or 0, present=row["present"] or 0,
        ballots_issued=row["ballots_issued"] or 0, ballots_returned=row["ballots_returned"] or 0,
        members=row["members"], rules=RuleSettings.from_dict(json.loads(row["rules_json"])))
    return RoundContext(row["id"], row["contest_id"], row["number"], row["state"], contest)


def counting_rounds(db: Database, states: tuple[str, ...] = (OPEN, SEALED)) -> list[dict]:
    """Rounds that can be (or were) counted, with their slate for the tablet's form."""
    marks = ",".join("?" * len(states))
    rounds = []
    for row in db.execute(
            "SELECT r.id, r.contest_id, r.number, r.kind, r.state, r.seats, c.title, c.congress_id,"
            " g.name AS congress_name FROM round r JOIN contest c ON c.id = r.contest_id"
            f" JOIN congress g ON g.id = c.congress_id WHERE r.state IN ({marks})"
            " ORDER BY c.position, c.id, r.number", list(states)):
        ctx = load_context(db, row["id"])
        rounds.append({"round_id": row["id"], "contest_id": row["contest_id"], "title": row["title"],
                       "congress_id": row["congress_id"], "congress_name": row["congress_name"],
                       "number": row["number"], "kind": row["kind"], "state": row["state"],
                       "seats": row["seats"],
                       "candidates": [{"ref": c.ref, "name": c.name, "note": c.note}
                                      for c in ctx.contest.candidates]})
    return rounds
