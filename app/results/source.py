"""Where results read the count from: the recording area's live tally and ballots
(app/counting keeps `round_tally` in step with every recorded ballot, in the same
transaction)."""

from __future__ import annotations

from sqlite_utils import Database

from ..counting.tally import counted_ballots, live_tally

__all__ = ["counted_ballots", "live_tally", "open_conflicts"]


def open_conflicts(db: Database, round_id: int) -> int:
    """Ballots of the round waiting for a scrutineer's decision."""
    return db.execute("SELECT count(*) FROM ballot WHERE round_id = ? AND status = 'conflict'",
                      [round_id]).fetchone()[0]
