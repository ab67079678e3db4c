"""A teller who confirmed a wrong reading says so (issue 12): they flag the ballot for the
scrutineers, who look at the sheet and decide. The teller never overwrites what was
recorded; a flag changes nothing in the tally until a scrutineer decides the ballot."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..store import audit, write_transaction
from ..store.clock import now
from .context import load_context
from .record import Teller

MAX_NOTE = 200  # characters; the API's schema refuses a longer note (schemas/counting.py)

register({
    "counting_flag_not_yours": {
        "zh-CN": "选票 {serial} 不是您在本轮计过的票，不能标记。",
        "en": "Ballot {serial} is not one you counted in this round; you cannot flag it."},
    "counting_flag_note_names_voter": {
        "zh-CN": "备注中不能出现投票人的姓名（“{name}”）：请只写读错了什么。",
        "en": "The note may not name a voter (“{name}”): say only what was read wrong."},
    "counting_flag_note_bad_text": {
        "zh-CN": "备注只能是一行文字。",
        "en": "The note must be one line of text."},
})


def check_note(db: Database, round_id: int, serial: str, note: str) -> str:
    """R10: a flag's note says what was read wrong, never whose ballot it is. A note naming
    someone on the congress's roster is refused, unless that name is on the ballot itself:
    a candidate of this round or a name written in on this ballot ("张三 read as 不赞成" is
    what a note is for). Anything but one line of text is refused too."""
    text = note.strip()
    if any(not ch.isprintable() for ch in text):
        raise AppError(Kind.INVALID, "flag_note_bad_text", "counting_flag_note_bad_text")
    if not text:
        return text
    on_ballot = {row[0] for row in db.execute(
        "SELECT c.name FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ?", [round_id])}
    for (written,) in db.execute(
            "SELECT write_ins_json FROM ballot_submission WHERE serial = ? AND round_id = ?",
            [serial, round_id]):
        on_ballot |= {str(w.get("name", "")) for w in json.loads(written or "[]") if isinstance(w, dict)}
    for (name,) in db.execute(
            "SELECT DISTINCT p.name FROM person p JOIN contest c ON c.congress_id = p.congress_id"
            " JOIN round r ON r.contest_id = c.id WHERE r.id = ?", [round_id]):
        if len(name) >= 2 and name not in on_ballot and name in text:
            raise AppError(Kind.INVALID, "flag_note_names_voter", "counting_flag_note_names_voter", name=name)
    return text


def flag_ballot(db: Database, round_id: int, serial: str, note: str, teller: Teller) -> dict[str, Any]:
    """Flag a ballot this teller submitted in this round; one flag per teller and ballot
    (flagging again keeps the first)."""
    with write_transaction(db):
        load_context(db, round_id, need_open=True)
        note = check_note(db, round_id, serial, note)
        mine = db.execute("SELECT 1 FROM ballot_submission WHERE serial = ? AND round_id = ?"
                          " AND submitted_by IS ? LIMIT 1", [serial, round_id, teller.user_id]).fetchone()
        if mine is None:
            raise AppError(Kind.NOT_FOUND, "flag_not_yours", "counting_flag_not_yours", serial=serial)
        row = db.execute("SELECT id, note, flagged_at FROM teller_flag WHERE serial = ? AND flagged_by IS ?",
                         [serial, teller.user_id]).fetchone()
        if row is None:
            cursor = db.execute("INSERT INTO teller_flag (round_id, serial, flagged_by, note, flagged_at)"
                                " VALUES (?, ?, ?, ?, ?)",
                                [round_id, serial, teller.user_id, note[:MAX_NOTE], now()])
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
