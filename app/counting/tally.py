"""The live tally of a round, stored beside it (table round_tally) and changed in the same
write transaction as the ballot that changes it, so it always equals a recount of the
counted ballots. `version` grows with every change: a board polls it cheaply."""

from __future__ import annotations

import json

from sqlite_utils import Database

from ..rules import Ballot, Tally, Verdict, count_ballots
from ..store.clock import now
from .choices import stored_choices
from .context import RoundContext


def live_tally(db: Database, round_id: int) -> tuple[Tally, int]:
    """The round's running tally and its version (an empty tally, version 0, before the
    first ballot)."""
    row = db.execute("SELECT tally_json, version FROM round_tally WHERE round_id = ?",
                     [round_id]).fetchone()
    if row is None:
        return Tally(), 0
    return Tally.from_dict(json.loads(row["tally_json"])), row["version"]


def counted_ballots(db: Database, round_id: int) -> list[Ballot]:
    """Every ballot of the round that counts now (status `counted`; conflicts awaiting a
    scrutineer are left out), in serial order (not the order they were scanned)."""
    rows = db.execute("SELECT serial, marks_json, write_ins_json, invalid, invalid_reason FROM ballot"
                      " WHERE round_id = ? AND status = 'counted' ORDER BY serial", [round_id])
    return [stored_choices(row).ballot(row["serial"]) for row in rows]


def change_tally(db: Database, round_id: int, add: Verdict | None = None,
                 remove: Verdict | None = None) -> int:
    """Apply one change inside the caller's write transaction; returns the new version.
    Called even with nothing to add or remove, to mark that the round's counting changed
    (a new conflict) so that watchers refresh."""
    tally, version = live_tally(db, round_id)
    if remove is not None:
        tally.remove(remove)
    if add is not None:
        tally.add(add)
    for counter in (tally.yes, tally.no, tally.write_in_yes, tally.invalid_reasons):
        for key in [key for key, n in counter.items() if n == 0]:
            del counter[key]  # a ballot taken back out leaves no trace of a zero
    version += 1
    db.execute("INSERT INTO round_tally (round_id, tally_json, version, updated_at) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (round_id) DO UPDATE SET tally_json = excluded.tally_json,"
               " version = excluded.version, updated_at = excluded.updated_at",
               [round_id, json.dumps(tally.as_dict(), ensure_ascii=False, sort_keys=True), version, now()])
    return version


def rebuild_tally(db: Database, ctx: RoundContext) -> Tally:
    """The tally recounted from scratch from the counted ballots (the same rules code)."""
    return count_ballots(ctx.contest, counted_ballots(db, ctx.round_id))
