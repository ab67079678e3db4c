"""A teller confirms staged pages; each goes through the very recording a tablet uses
(app.counting.record): the same serial with the same reading is a duplicate, with a
different reading a conflict for the scrutineers, and the ballot, its submission, the
tally, the teller's running count and the audit entry commit together.

The submission's client id is `scan:<batch>:<page>`, so confirming a page twice (two
tellers at once, a resent request) records it once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from ..counting import Source, Teller, record
from ..errors import AppError, Kind
from ..store import audit, write_transaction
from ..store.clock import now
from .staging import load_batch


def client_id(batch_id: int, page: int) -> str:
    return f"scan:{batch_id}:{page}"


def _ready_batch(db: Database, batch_id: int, round_id: int | None = None) -> dict[str, Any]:
    batch = load_batch(db, batch_id)
    if round_id is not None and batch["round_id"] != round_id:
        raise AppError(Kind.NOT_FOUND, "batch_not_found", "batch.batch_not_found")
    if batch["state"] != "ready":
        raise AppError(Kind.CONFLICT, "batch_not_ready", "batch.batch_not_ready")
    return batch


def _record_page(db: Database, batch: dict[str, Any], page: int, marks: Mapping[str, Any],
                 write_ins: Iterable[Mapping[str, Any]], invalid: bool, invalid_reason: str | None,
                 teller: Teller, key: str) -> str | None:
    """Record one staged page (None when it was recorded meanwhile)."""
    with write_transaction(db):
        row = db.execute("SELECT serial, refused, state FROM scan_page WHERE batch_id = ? AND page = ?",
                         [batch["id"], page]).fetchone()
        if row is None:
            raise AppError(Kind.NOT_FOUND, "page_not_found", "batch.page_not_found", page=page)
        if row["refused"] or not row["serial"]:
            raise AppError(Kind.CONFLICT, "page_refused", "batch.page_refused", page=page)
        if row["state"] == "recorded":
            return None
        done = record(db, batch["round_id"], Source(serial=row["serial"]), marks, write_ins, invalid,
                      invalid_reason, teller, ballot_key=key, client_id=client_id(batch["id"], page))
        db.execute("UPDATE scan_page SET state = 'recorded', outcome = ?, confirmed_by = ?,"
                   " confirmed_at = ? WHERE batch_id = ? AND page = ?",
                   [done.status, teller.user_id, now(), batch["id"], page])
        return done.status


def confirm_clean(db: Database, batch_id: int, teller: Teller, *, key: str,
                  round_id: int | None = None) -> dict[str, int]:
    """Record every clean page (read, nothing unsure, no write-in name to type) as read.
    Returns how many were added, duplicates and conflicts."""
    batch = _ready_batch(db, batch_id, round_id)
    outcomes = {"added": 0, "duplicate": 0, "conflict": 0}
    pages = [(row["page"], json.loads(row["marks_json"])) for row in db.execute(
        "SELECT page, marks_json FROM scan_page WHERE batch_id = ? AND refused IS NULL"
        " AND needs_person = 0 AND state = 'staged' ORDER BY page", [batch_id])]
    for page, marks in pages:
        status = _record_page(db, batch, page, marks, [], False, None, teller, key)
        if status is not None:
            outcomes[status] = outcomes.get(status, 0) + 1
    if pages:
        with write_transaction(db):
            audit.append(db, teller.actor, "batch.confirm", f"round:{batch['round_id']}",
                         {"batch": batch_id, **outcomes})
    return outcomes


def confirm_page(db: Database, batch_id: int, page: int, marks: Mapping[str, Any],
                 write_ins: Iterable[Mapping[str, Any]], invalid: bool, invalid_reason: str | None,
                 teller: Teller, *, key: str, round_id: int | None = None) -> str:
    """Record one page as the teller corrected it: every unsure row decided."""
    batch = _ready_batch(db, batch_id, round_id)
    if any(mark == "unsure" for mark in marks.values()):
        raise AppError(Kind.INVALID, "still_unsure", "batch.still_unsure")
    status = _record_page(db, batch, page, marks, write_ins, invalid, invalid_reason, teller, key)
    if status is None:
        row = db.execute("SELECT outcome FROM scan_page WHERE batch_id = ? AND page = ?",
                         [batch_id, page]).fetchone()
        return str(row["outcome"])
    return status
