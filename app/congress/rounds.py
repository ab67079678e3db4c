"""Opening a round: the slate is checked (R7, a refusal), the size (R8, a warning), and
E and P are taken from the roster and the attendance at that moment (R1)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..rules import RuleSettings, check_slate, quorum_met, size_warning
from ..store import audit, write_transaction
from ..store.clock import now
from ..store.states import DRAFT, OPEN


class RoundError(AppError):
    """A round cannot change state; `code` says why, `params` give the numbers. R7
    refusals name the numbers in the user's language; the rules engine's own sentences
    travel along in details."""

    def __init__(self, code: str, **params: Any) -> None:
        if code == "round_not_found":
            super().__init__(Kind.NOT_FOUND, code, "setup_round_not_found", **params)
        elif code == "slate_breaks_r7":
            key = f"setup_slate_breaks_r7_{params.get('method', 'differential')}"
            numbers = {k: v for k, v in params.items() if k != "problems"}
            super().__init__(Kind.CONFLICT, code, key,
                             details={**numbers, "problems": params.get("problems", [])}, **numbers)
        else:
            super().__init__(Kind.CONFLICT, code, f"setup_{code}", **params)


@dataclass(frozen=True)
class Opened:
    round_id: int
    entitled: int
    present: int
    quorum_met: bool
    size_warning: str | None
    contest_id: int


def electorate(db: Database, congress_id: int) -> tuple[int, int]:
    """(E, P): entitled voters on the roster (保留会籍 excluded) and those checked in."""
    entitled = db.execute("SELECT count(*) FROM person WHERE congress_id = ? AND entitled = 1",
                          [congress_id]).fetchone()[0]
    present = db.execute(
        "SELECT count(*) FROM attendance a JOIN person p ON p.id = a.person_id"
        " WHERE a.congress_id = ? AND p.entitled = 1", [congress_id]).fetchone()[0]
    return entitled, present


def open_round(db: Database, round_id: int, actor: str) -> Opened:
    """Move a round from draft to open, refusing a slate that breaks R7."""
    with write_transaction(db):
        row = db.execute(
            "SELECT r.state, r.method, r.seats, c.id AS contest_id, c.congress_id, c.rules_json,"
            " c.office, g.members FROM round r JOIN contest c ON c.id = r.contest_id"
            " JOIN congress g ON g.id = c.congress_id WHERE r.id = ?", [round_id]).fetchone()
        if row is None:
            raise RoundError("round_not_found", round_id=round_id)
        if row["state"] != DRAFT:
            raise RoundError("round_not_draft", state=row["state"])
        rules = RuleSettings.from_dict(json.loads(row["rules_json"]))
        candidates = db.execute("SELECT count(*) FROM round_candidate WHERE round_id = ?",
                                [round_id]).fetchone()[0]
        slate = check_slate(row["method"], row["seats"], candidates, rules.differential_rate_percent)
        if not slate.ok:
            raise RoundError("slate_breaks_r7", problems=slate.problems, seats=row["seats"],
                             candidates=candidates, min_candidates=slate.min_candidates,
                             method=row["method"], rate_percent=rules.differential_rate_percent)
        entitled, present = electorate(db, row["congress_id"])
        warning = size_warning(row["members"], row["seats"]) if row["office"] == "committee" else None
        db.execute("UPDATE round SET state = ?, entitled = ?, present = ?, opened_at = ? WHERE id = ?",
                   [OPEN, entitled, present, now(), round_id])
        audit.append(db, actor, "round.open", f"round:{round_id}",
                     {"entitled": entitled, "present": present, "size_warning": warning})
    return Opened(round_id, entitled, present, quorum_met(entitled, present, rules.quorum), warning,
                  row["contest_id"])
