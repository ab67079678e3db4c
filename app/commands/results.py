"""`flask --app app export CONTEST_ID --round K --out FILE.json`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..db import get_db
from ..edge.errors import cli_refusal
from ..errors import AppError
from ..results.export import export_record
from ..results.rounds import round_of_contest


@click.command("export")
@with_appcontext
@click.argument("contest_id", type=int)
@click.option("--round", "number", type=int, default=1, show_default=True,
              help="the round's number within the contest")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(contest_id: int, number: int, out: Path) -> None:
    """Write a union-ballot-record/1 of exactly the ballots counted in one round."""
    db = get_db()
    try:
        record = export_record(db, round_of_contest(db, contest_id, number))
    except AppError as error:
        cli_refusal(error)
    out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"{out}: {len(record['ballots'])} ballots")
