"""`flask --app app scan-batch ROUND_ID FILE [--out READINGS.json]`: read a scanned stack
into staging (nothing is counted), a progress bar on standard error, and as the last
line of standard output {"pages": N, "read": n, "unsure": u, "refused": r, "seconds": s}."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..batch import messages  # noqa: F401  (registers the area's words)
from ..batch.staging import create_batch, page_rows, read_file
from ..db import get_db
from ..errors import AppError


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


def out_rows(rows: list[dict]) -> list[dict]:
    """The --out list: exactly page, serial, refused, marks, write_ins per page."""
    return [{"page": row["page"], "serial": row["serial"], "refused": row["refused"],
             "marks": row["marks"] if not row["refused"] else {},
             "write_ins": row["write_ins"] if not row["refused"] else []} for row in rows]


@click.command("scan-batch")
@click.argument("round_id", type=int)
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write every page's reading to this JSON file.")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Worker processes (default: one per core).")
@with_appcontext
def scan_batch_command(round_id: int, file: Path, out: Path | None, workers: int | None) -> None:
    """Read a scanned stack (PDF, TIFF, folder or zip of images) into staging for ROUND_ID."""
    db = get_db()
    try:
        batch_id = create_batch(db, round_id, file.name, None, "cli")
        with click.progressbar(length=1, label="读取扫描件 reading", file=sys.stderr,
                               show_pos=True) as bar:
            shown = 0

            def progress(done: int, total: int) -> None:
                nonlocal shown
                bar.length = total
                bar.update(done - shown)
                shown = done

            summary = read_file(db, batch_id, file, key=current_app.config["BALLOT_KEY"],
                                progress=progress, workers=workers)
    except AppError as error:
        _fail(error.message())
    if out is not None:
        out.write_text(json.dumps(out_rows(page_rows(db, batch_id)), ensure_ascii=False, indent=1))
    click.echo(f"batch {batch_id} staged: confirm it on the batch page", err=True)
    click.echo(json.dumps(summary.as_dict()))
