"""How far the congress day has come, in figures: what the secretariat's and the
scrutineers' step lists show (app/web/day_steps.py turns them into links and words)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from ..store.states import DRAFT, SEALED
from .rounds import electorate


@dataclass(frozen=True)
class SecretariatFigures:
    roster: int  # people on the roster
    entitled: int
    present: int
    contests: int
    officials: int  # scrutineers and tellers appointed, all contests together
    rounds_open: int  # rounds past draft (open or sealed)
    printed: int  # ballots printed for this body's rounds
    accounts: int  # active accounts (the whole installation)


def secretariat_figures(db: Database, congress_id: int) -> SecretariatFigures:
    roster = db.execute("SELECT count(*) FROM person WHERE congress_id = ?", [congress_id]).fetchone()[0]
    entitled, present = electorate(db, congress_id)
    contests, officials = db.execute(
        "SELECT count(DISTINCT c.id), count(o.id) FROM contest c"
        " LEFT JOIN contest_official o ON o.contest_id = c.id WHERE c.congress_id = ?",
        [congress_id]).fetchone()
    rounds_open = db.execute(
        "SELECT count(*) FROM round r JOIN contest c ON c.id = r.contest_id"
        " WHERE c.congress_id = ? AND r.state != ?", [congress_id, DRAFT]).fetchone()[0]
    printed = db.execute(
        "SELECT count(*) FROM ballot_serial s JOIN round r ON r.id = s.round_id"
        " JOIN contest c ON c.id = r.contest_id WHERE c.congress_id = ?", [congress_id]).fetchone()[0]
    accounts = db.execute("SELECT count(*) FROM app_user WHERE active = 1").fetchone()[0]
    return SecretariatFigures(roster, entitled, present, contests, officials, rounds_open, printed, accounts)


@dataclass(frozen=True)
class RoundProgress:
    round_id: int
    title: str  # the contest's
    number: int
    sealed: bool
    returned: int | None  # R, once the chief scrutineer entered it
    conflicts: int  # ballots whose readings disagree, waiting for a scrutineer
    outcome: str | None  # the sealed result's outcome ("decided", …), None before sealing


def rounds_under_way(db: Database, congress_id: int) -> list[RoundProgress]:
    """Every round of this body that is open or sealed, in the contests' order."""
    rows = db.execute(
        "SELECT r.id, r.number, r.state, r.ballots_returned, r.result_json, c.title,"
        " (SELECT count(*) FROM ballot b WHERE b.round_id = r.id AND b.status = 'conflict') AS conflicts"
        " FROM round r JOIN contest c ON c.id = r.contest_id WHERE c.congress_id = ? AND r.state != ?"
        " ORDER BY c.position, c.id, r.number", [congress_id, DRAFT]).fetchall()
    found = []
    for row in rows:
        sealed = row["state"] == SEALED
        outcome = json.loads(row["result_json"])["outcome"] if sealed and row["result_json"] else None
        found.append(RoundProgress(row["id"], row["title"], row["number"], sealed, row["ballots_returned"],
                                   row["conflicts"], outcome))
    return found
