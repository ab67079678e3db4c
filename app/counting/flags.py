"""A teller who confirmed a wrong reading says so (issue 12): they flag the ballot for the
scrutineers, who look at the sheet and decide. The teller never overwrites what was
recorded; a flag changes nothing in the tally until a scrutineer decides the ballot."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..store import audit, write_transaction
from ..store.clock import now
from .context import load_context
from .record import Teller

MAX_NOTE = 200

register({
    "counting_flag_not_yours": {
        "zh-CN": "选票 {serial} 不是您在本轮计过的票，不能标记。",
        "en": "Ballot {serial} is not one you counted in this round; you cannot flag it."},
})


def flag_ballot(db: Database, round_id: int, serial: str, note: str, teller: Teller) -> dict[str, Any]:
    """Flag a ballot this teller submitted in this round; one flag per teller and ballot
    (flagging again keeps the first)."""
    with write_transaction(db):
        load_context(db, round_id, need_open=True)
        mine = db.execute("SELECT 1 FROM ballot_submission WHERE serial = ? AND round_id = ?"
                          " AND submitted_by IS ? LIMIT 1", [serial, round_id, teller.user_id]).fetchone()
        if mine is None:
            raise AppError(Kind.NOT_FOUND, "flag_not_yours", "counting_flag_not_yours", serial=serial)
        row = db.execute("SELECT id, note, flagged_at FROM teller_flag WHERE serial = ? AND flagged_by IS ?",
                         [serial, teller.user_id]).fetchone()
        if row is None:
            cursor = db.execute("INSERT INTO teller_flag (round_id, serial, flagged_by, note, flagged_at)"
                                " VALUES (?, ?, ?, ?, ?)",
                                [round_id, serial, teller.user_id, note.strip()[:MAX_NOTE], now()])
            audit.append(db, teller.actor, "ballot.flag", f"round:{round_id}", {"serial": serial})
            row = db.execute("SELECT id, note, flagged_at FROM teller_flag WHERE id = ?",
                             [cursor.lastrowid]).fetchone()
    return {"flag_id": row["id"], "serial": serial, "note": row["note"], "flagged_at": row["flagged_at"]}


def round_flags(db: Database, round_id: int) -> list[dict[str, Any]]:
    """Every flag of a round, newest first, with who flagged and the ballot's state now."""
    load_context(db, round_id)
    return [dict(row) for row in db.execute(
        "SELECT f.id AS flag_id, f.serial, f.note, f.flagged_at, coalesce(u.display_name, '') AS by,"
        " coalesce(b.status, 'not_recorded') AS status FROM teller_flag f"
        " LEFT JOIN app_user u ON u.id = f.flagged_by LEFT JOIN ballot b ON b.serial = f.serial"
        " WHERE f.round_id = ? ORDER BY f.id DESC", [round_id])]
