"""What follows a sealed round (issue 6, item 3), as `app.rules.plan_next_round` says:

- `revote` (R5): a re-vote round among the tied people for the remaining seats;
- `shortfall` (R6) per the contest's `shortfall` setting: `another_election` → a new
  round for the open seats with the candidates the rules draw; `reduce_seats` → the
  congress's recorded motion lowers the seats (the R8 band must still hold);
  `vacant` → the open seats stay empty, recorded;
- `void` (R2) or `no_quorum` (R1): the same contest again, same slate and seats.

A new round starts in draft with its own slate; new ballots are printed for it, and the
old round's serials stay bound to the old round.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..rules import normalize_name, plan_next_round
from ..rules.size import size_band, size_warning
from ..store import audit, row_id, write_transaction
from ..store.clock import now
from ..store.states import DRAFT, SEALED
from .rounds import load_round

register({
    "round_not_sealed": {"zh-CN": "第 {number} 轮尚未封存，不能安排下一轮。",
                         "en": "Round {number} is not sealed; no next round yet."},
    "next_round_exists": {"zh-CN": "第 {number} 轮之后的安排已经确定，不能重复。",
                          "en": "What follows round {number} is already decided."},
    "contest_settled": {"zh-CN": "本选举事项已经选出全部应选名额，无需下一轮。",
                        "en": "Every seat of this contest is filled; no further round."},
    "motion_required": {"zh-CN": "减少名额须录入大会通过的决议内容（另行选举之外的办法须经大会同意）。",
                        "en": "Reducing the seats needs the text of the motion the congress passed."},
    "reduce_outside_band": {
        "zh-CN": "减少名额后委员会为 {seats} 人，超出条例第八条的范围（{low} 至 {high} 人），不能减少。",
        "en": "After the reduction the committee would have {seats} members, outside the "
              "Art.8 band ({low} to {high}); the seats cannot be reduced."},
    "reduce_to_nothing": {"zh-CN": "没有人当选，不能把名额减为零。",
                          "en": "Nobody was elected; the seats cannot be reduced to none."},
})


def _next_candidate_ref(db: Database, contest_id: int) -> str:
    refs = {row[0] for row in db.execute("SELECT ref FROM candidate WHERE contest_id = ?",
                                         [contest_id])}
    number = 1
    while f"w{number}" in refs:
        number += 1
    return f"w{number}"


def _candidate_for_write_in(db: Database, contest_id: int, name: str) -> int:
    """R5/R11: a tied write-in goes on the re-vote ballot as a printed name."""
    for row in db.execute("SELECT id, name FROM candidate WHERE contest_id = ? AND ref LIKE 'w%'",
                          [contest_id]):
        if normalize_name(row["name"]) == normalize_name(name):
            return row["id"]
    return row_id(db.execute("INSERT INTO candidate (contest_id, ref, name, note) VALUES (?, ?, ?, ?)",
                             [contest_id, _next_candidate_ref(db, contest_id), name, "另选他人"]).lastrowid)


def create_next_round(db: Database, round_id: int, actor: str,
                      motion: str | None = None) -> dict[str, Any]:
    """Apply R5/R6/R1/R2 to a sealed round; one transaction, audited."""
    with write_transaction(db):
        info = load_round(db, round_id)
        if info.state != SEALED or info.result is None:
            raise AppError(Kind.CONFLICT, "round_not_sealed", number=info.number)
        taken = db.execute(
            "SELECT (SELECT count(*) FROM round WHERE parent_round_id = ?)"
            " + (SELECT count(*) FROM contest_motion WHERE round_id = ?)",
            [round_id, round_id]).fetchone()[0]
        if taken:
            raise AppError(Kind.CONFLICT, "next_round_exists", number=info.number)
        plan = plan_next_round(info.result, info.seats, [c.ref for c in info.candidates],
                               info.rules.shortfall, info.rules.differential_rate_percent)
        if plan is None:
            raise AppError(Kind.CONFLICT, "contest_settled")
        if plan.kind in ("reduce_seats", "vacant"):
            return _record_motion(db, info, plan.kind, plan.seats, motion, actor)
        number = db.execute("SELECT max(number) FROM round WHERE contest_id = ?",
                            [info.contest_id]).fetchone()[0] + 1
        new_id = db.execute(
            "INSERT INTO round (contest_id, number, kind, parent_round_id, method, seats, state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [info.contest_id, number, plan.kind, round_id, plan.method, plan.seats, DRAFT]).lastrowid
        ids = {row["ref"]: row["id"] for row in db.execute(
            "SELECT id, ref FROM candidate WHERE contest_id = ?", [info.contest_id])}
        slate = [ids[ref] for ref in plan.candidate_refs]
        slate += [_candidate_for_write_in(db, info.contest_id, name) for name in plan.write_in_names]
        for candidate_id in slate:
            db.execute("INSERT INTO round_candidate (round_id, candidate_id) VALUES (?, ?)",
                       [new_id, candidate_id])
        names = [row[0] for row in db.execute(
            "SELECT c.name FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
            " WHERE rc.round_id = ?", [new_id])]
        audit.append(db, actor, "round.next", f"round:{new_id}",
                     {"after_round": round_id, "kind": plan.kind, "seats": plan.seats,
                      "method": plan.method, "candidates": names})
    return {"kind": plan.kind, "round_id": new_id, "number": number, "seats": plan.seats,
            "method": plan.method, "candidates": names, "motion": None}


def _record_motion(db: Database, info, kind: str, open_seats: int, motion: str | None,
                   actor: str) -> dict[str, Any]:
    """R6 alternatives: the congress reduces the seats (a recorded motion; the committee
    size must stay inside the Art.8 band, R8) or leaves them vacant."""
    contest_seats = db.execute("SELECT seats FROM contest WHERE id = ?",
                               [info.contest_id]).fetchone()[0]
    seats_after = contest_seats
    if kind == "reduce_seats":
        if not motion or not motion.strip():
            raise AppError(Kind.BAD_REQUEST, "motion_required")
        seats_after = contest_seats - open_seats
        if seats_after < 1:
            raise AppError(Kind.CONFLICT, "reduce_to_nothing")
        if info.office == "committee" and size_warning(info.members, seats_after):
            low, high = size_band(info.members)
            raise AppError(Kind.CONFLICT, "reduce_outside_band", seats=seats_after, low=low, high=high)
    db.execute("INSERT INTO contest_motion (contest_id, round_id, kind, seats_before, seats_after,"
               " text, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               [info.contest_id, info.id, kind, contest_seats, seats_after,
                (motion or "").strip(), now()])
    audit.append(db, actor, f"contest.{kind}", f"contest:{info.contest_id}",
                 {"after_round": info.id, "open_seats": open_seats, "seats_before": contest_seats,
                  "seats_after": seats_after, "motion": (motion or "").strip()})
    return {"kind": kind, "round_id": None, "number": None, "seats": seats_after,
            "method": None, "candidates": [], "motion": (motion or "").strip(),
            "open_seats": open_seats}
