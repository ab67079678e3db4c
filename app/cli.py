"""`flask --app app …` commands: recount, demo, verify-audit, and more as areas add them."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app

from .db import get_db
from .store import audit


def _fail(message: str) -> None:
    """One line on standard error and exit code 2; nothing on standard output."""
    click.echo(message, err=True)
    sys.exit(2)


@click.command("recount")
@click.argument("record_path")
def recount_command(record_path: str) -> None:
    """Recount a union-ballot-record/1 file and print its union-ballot-result/1
    (the same as `python -m app.recount RECORD.json`)."""
    from .recount import run  # light: the record format and the rules only

    code = run(record_path, _ClickStream(err=False), _ClickStream(err=True))
    if code:
        sys.exit(code)


class _ClickStream:
    """click.echo as a stream, so that the CLI runner of the tests captures the output."""

    def __init__(self, err: bool) -> None:
        self.err = err

    def write(self, text: str) -> int:
        click.echo(text, nl=False, err=self.err)
        return len(text)


@click.command("demo")
@click.option("--plenary", is_flag=True,
              help="also hold the committee election and start the new committee's first plenary (R13)")
def demo_command(plenary: bool) -> None:
    """Create a realistic demo congress; the last line printed is JSON with its ids."""
    from .demo import add_demo_plenary, create_demo, open_demo_rounds

    db = get_db()
    ids = create_demo(db)
    if plenary:  # R13: the committee election held and sealed, its first plenary started
        ids = add_demo_plenary(db, ids, current_app.config["BALLOT_KEY"])
    ids["open_round_ids"] = open_demo_rounds(db, ids)  # ready to print and count at once
    click.echo(f"演示大会已创建：账号 admin / chief / scrutineer / teller1-3，密码 {ids['password']}")
    click.echo(json.dumps(ids, ensure_ascii=False))


@click.command("verify-audit")
def verify_audit_command() -> None:
    """Check the audit log's hash chain; name the first broken entry."""
    check = audit.verify_chain(get_db())
    if check.ok:
        click.echo(f"audit chain ok: {check.entries} entries")
        return
    _fail(f"audit chain broken at entry {check.first_broken_id}: {check.problem}")


def register_commands(app: Flask) -> None:
    for command in (recount_command, demo_command, verify_audit_command):
        app.cli.add_command(command)
    from .commands.ballots import print_ballots_command  # issue 3

    app.cli.add_command(print_ballots_command)
    from .commands.results import export_command  # issue 6

    app.cli.add_command(export_command)
    from .commands.batch import scan_batch_command  # issue 13

    app.cli.add_command(scan_batch_command)
    from .commands.tls import tls_command  # issue 12: HTTPS on the hall network

    app.cli.add_command(tls_command)
