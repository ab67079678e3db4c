"""The staged batch: one row per uploaded file, one per page read. Nothing here is
counted; confirm.py moves pages into the count through the tablets' recording.

Reading a file (`read_file`) runs in a CLI process or a server thread: it opens the
file, creates the batch, reads every page on the worker pool and stages the readings a
few pages at a time, each group in one write transaction with the batch's progress.
A serial the reader found is checked against the round's printed serials here (never
printed, voided) since the workers have no database.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..ballots.issue import check_ballot
from ..ballots.round_layout import load_round, round_layout
from ..errors import AppError, Kind
from ..store import audit, write_transaction
from ..store.clock import now
from ..store.states import OPEN
from . import messages  # noqa: F401  (registers the area's words)
from .reading import RoundInfo
from .runner import Summary, read_pages
from .sources import SourceError, open_source

FLUSH_PAGES = 8
FLUSH_SECONDS = 1.0
STALE_SECONDS = 180   # a batch still "reading" with no progress this long: its process died

Progress = Callable[[int, int], None]


def check_round_open(db: Database, round_id: int) -> None:
    row = load_round(db, round_id)  # 404 for no such round
    if row.state != OPEN:
        raise AppError(Kind.CONFLICT, "round_not_open", "batch.round_not_open")


def create_batch(db: Database, round_id: int, source_name: str, user_id: int | None,
                 actor: str) -> int:
    check_round_open(db, round_id)
    with write_transaction(db):
        batch_id = db.execute(
            "INSERT INTO scan_batch (round_id, source_name, state, created_by, created_at, updated_at)"
            " VALUES (?, ?, 'reading', ?, ?, ?)",
            [round_id, source_name[:200], user_id, now(), now()]).lastrowid
        audit.append(db, actor, "batch.upload", f"round:{round_id}",
                     {"batch": batch_id, "file": source_name[:200]})
    assert batch_id is not None
    return int(batch_id)


def read_file(db: Database, batch_id: int, path: str | Path, *, key: str,
              progress: Progress | None = None, workers: int | None = None) -> Summary:
    """Read every page of `path` into batch `batch_id`; the batch ends `ready` (or
    `failed` with a code, for a file with no pages we can read)."""
    round_id = db.execute("SELECT round_id FROM scan_batch WHERE id = ?", [batch_id]).fetchone()[0]
    try:
        source, pages = open_source(path)
    except SourceError as error:
        _finish(db, batch_id, "failed", error.code)
        raise AppError(Kind.INVALID, error.code, f"batch.{error.code}") from None
    layout = round_layout(db, round_id)
    info = RoundInfo(round_id, layout["contest_id"], layout, key)
    with write_transaction(db):
        db.execute("UPDATE scan_batch SET pages = ?, updated_at = ? WHERE id = ?", [pages, now(), batch_id])
    waiting: list[dict[str, Any]] = []
    flushed = time.monotonic()

    def flush() -> None:
        nonlocal flushed
        with write_transaction(db):
            for result in waiting:
                _stage(db, batch_id, round_id, key, result)
            done = db.execute("SELECT count(*) FROM scan_page WHERE batch_id = ?", [batch_id]).fetchone()[0]
            db.execute("UPDATE scan_batch SET done = ?, updated_at = ? WHERE id = ?",
                       [done, now(), batch_id])
        waiting.clear()
        flushed = time.monotonic()
        if progress:
            progress(done, pages)

    def on_page(result: dict[str, Any]) -> None:
        waiting.append(result)
        if len(waiting) >= FLUSH_PAGES or time.monotonic() - flushed >= FLUSH_SECONDS:
            flush()

    try:
        summary = read_pages(source, pages, info, on_page, workers=workers)
        flush()
    except BaseException:
        _finish(db, batch_id, "failed", "server_error")
        raise
    # A serial refused by the printed-serials check after reading counts as refused.
    counts = db.execute(
        "SELECT sum(refused IS NULL), sum(refused IS NULL AND unsure_rows > 0), sum(refused IS NOT NULL)"
        " FROM scan_page WHERE batch_id = ?", [batch_id]).fetchone()
    summary.read, summary.unsure, summary.refused = (int(v or 0) for v in counts)
    _finish(db, batch_id, "ready", None, summary.seconds)
    return summary


def _stage(db: Database, batch_id: int, round_id: int, key: str, result: dict[str, Any]) -> None:
    refused = result["refused"]
    if result["serial"] and not refused:
        try:
            check_ballot(db, key, typed_code=result["serial"], round_id=round_id)
        except AppError as error:
            refused = {"never_printed": "never_printed", "voided": "voided"}.get(error.code, "other_round")
    db.execute(
        "INSERT INTO scan_page (batch_id, page, serial, refused, marks_json, write_ins_json,"
        " review_json, needs_person, unsure_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [batch_id, result["page"], result["serial"], refused, json.dumps(result["marks"]),
         json.dumps(result["write_ins"]), json.dumps(result["review"]),
         int(bool(result["needs_person"]) and not refused), int(result["unsure_rows"])])
    if result.get("jpeg"):
        db.execute("INSERT INTO scan_page_image (batch_id, page, jpeg) VALUES (?, ?, ?)",
                   [batch_id, result["page"], result["jpeg"]])


def _finish(db: Database, batch_id: int, state: str, error: str | None, seconds: float | None = None) -> None:
    with write_transaction(db):
        db.execute("UPDATE scan_batch SET state = ?, error_code = ?, seconds = ?, updated_at = ?"
                   " WHERE id = ?", [state, error, seconds, now(), batch_id])


# --- reading what is staged ---------------------------------------------------------------

def load_batch(db: Database, batch_id: int) -> dict[str, Any]:
    row = db.execute("SELECT * FROM scan_batch WHERE id = ?", [batch_id]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "batch_not_found", "batch.batch_not_found")
    batch = dict(row)
    if batch["state"] == "reading":
        from datetime import UTC, datetime

        age = (datetime.now(UTC) - datetime.fromisoformat(batch["updated_at"])).total_seconds()
        if age > STALE_SECONDS:
            batch.update(state="failed", error_code="interrupted")
    return batch


def page_rows(db: Database, batch_id: int) -> list[dict[str, Any]]:
    return [page_dict(row) for row in db.execute(
        "SELECT * FROM scan_page WHERE batch_id = ? ORDER BY page", [batch_id])]


def page_dict(row: Any) -> dict[str, Any]:
    return {"page": row["page"], "serial": row["serial"], "refused": row["refused"],
            "marks": json.loads(row["marks_json"]), "write_ins": json.loads(row["write_ins_json"]),
            "review": json.loads(row["review_json"]), "needs_person": bool(row["needs_person"]),
            "unsure_rows": row["unsure_rows"], "state": row["state"], "outcome": row["outcome"]}


def batch_ids_of_round(db: Database, round_id: int) -> list[int]:
    """The round's uploaded batches, newest first."""
    return [row[0] for row in db.execute("SELECT id FROM scan_batch WHERE round_id = ? ORDER BY id DESC",
                                         [round_id])]


def pages_with_image(db: Database, batch_id: int) -> set[int]:
    """The pages of a batch whose scanned image is kept (for the review's thumbnails)."""
    return {row[0] for row in db.execute("SELECT page FROM scan_page_image WHERE batch_id = ?", [batch_id])}


def batch_counts(db: Database, batch_id: int) -> dict[str, int]:
    row = db.execute(
        "SELECT count(*) AS read_pages,"
        " coalesce(sum(refused IS NULL AND needs_person = 0 AND state = 'staged'), 0) AS clean,"
        " coalesce(sum(refused IS NULL AND needs_person = 1 AND state = 'staged'), 0) AS to_check,"
        " coalesce(sum(refused IS NOT NULL AND refused != 'blank_page'), 0) AS rejected,"
        " coalesce(sum(refused = 'blank_page'), 0) AS blank,"
        " coalesce(sum(state = 'recorded'), 0) AS recorded,"
        " coalesce(sum(refused IS NULL AND unsure_rows > 0), 0) AS unsure"
        " FROM scan_page WHERE batch_id = ?", [batch_id]).fetchone()
    return {key: int(value) for key, value in dict(row).items()}


def page_image(db: Database, batch_id: int, page: int) -> bytes:
    row = db.execute("SELECT jpeg FROM scan_page_image WHERE batch_id = ? AND page = ?",
                     [batch_id, page]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "page_not_found", "batch.page_not_found", page=page)
    return bytes(row[0])
