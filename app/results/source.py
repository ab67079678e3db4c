"""Where results read the count from: the recording area's live tally and ballots.

The recording area (app/counting) keeps `round_tally` in step with every recorded
ballot in the same transaction. When its functions are present they are used; until
then the same tables are read directly with the same contract.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from ..rules import Ballot, Tally, WriteIn

try:  # the recording area's public functions (issue 5)
    from ..counting.tally import counted_ballots as _counted_ballots
    from ..counting.tally import live_tally as _live_tally
except ImportError:  # pragma: no cover - only before app/counting lands
    _counted_ballots = _live_tally = None


def live_tally(db: Database, round_id: int) -> tuple[Tally, int]:
    """The round's incremental tally and its version (0 and empty before any ballot)."""
    if _live_tally is not None:
        return _live_tally(db, round_id)
    row = db.execute("SELECT tally_json, version FROM round_tally WHERE round_id = ?",
                     [round_id]).fetchone()
    if row is None:
        return Tally(), 0
    return Tally.from_dict(json.loads(row["tally_json"])), row["version"]


def counted_ballots(db: Database, round_id: int) -> list[Ballot]:
    """Every ballot of the round that counts (status 'counted'; conflicts excluded)."""
    if _counted_ballots is not None:
        return _counted_ballots(db, round_id)
    rows = db.execute("SELECT serial, marks_json, write_ins_json, invalid FROM ballot"
                      " WHERE round_id = ? AND status = 'counted' ORDER BY serial", [round_id])
    return [Ballot(row["serial"], json.loads(row["marks_json"]),
                   tuple(WriteIn(w["name"], w.get("mark", "yes"))
                         for w in json.loads(row["write_ins_json"])),
                   bool(row["invalid"])) for row in rows]


def open_conflicts(db: Database, round_id: int) -> int:
    """Ballots of the round waiting for a scrutineer's decision."""
    return db.execute("SELECT count(*) FROM ballot WHERE round_id = ? AND status = 'conflict'",
                      [round_id]).fetchone()[0]
