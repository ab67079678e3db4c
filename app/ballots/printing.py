"""Printing a batch of ballots for a round: new serials, the PDF, then the record.

All or nothing: the PDF is written to a temporary file beside the target; the serials
are stored, and the file moved into place, inside one write transaction. A failure at
any step leaves neither stored serials nor a file behind (no half-written batch).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from ..security.secrecy import check_batch_size
from ..store import write_transaction
from .issue import fresh_serials, open_round_row, record_batch
from .pdf import BallotFont, Progress, render_ballots
from .round_layout import layout_digest, round_layout
from .serials import sign


@dataclass(frozen=True)
class Printed:
    round_id: int
    contest_id: int
    batch: int
    count: int
    path: Path
    seconds: float


def print_ballots(db: Database, round_id: int, count: int, out: str | os.PathLike, *,
                  key: str, actor: str, progress: Progress | None = None,
                  font: BallotFont | None = None) -> Printed:
    """Print `count` new ballots of an open round into the PDF file `out`."""
    started = time.perf_counter()
    row = open_round_row(db, round_id)
    check_batch_size(db, round_id, count)  # before the PDF is made, not after
    layout = round_layout(db, round_id)
    serials = fresh_serials(db, count)
    ballots = [(sign(key, row.contest_id, round_id, serial).text(), serial) for serial in serials]
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    moved = False
    try:
        render_ballots(layout, ballots, partial, progress=progress, font=font)
        with write_transaction(db):
            batch = record_batch(db, round_id, serials, layout_digest(layout), actor)
            os.replace(partial, target)
            moved = True
    except BaseException:
        partial.unlink(missing_ok=True)
        if moved:  # the commit failed after the file was moved: take it back
            target.unlink(missing_ok=True)
        raise
    return Printed(round_id, row.contest_id, batch, count, target, time.perf_counter() - started)
