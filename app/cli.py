"""`flask --app app …` commands: recount, demo, verify-audit, and more as areas add them."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import click
from flask import Flask

from .db import get_db
from .record import parse_record, recount
from .rules import RuleError, conservation_problems, unknown_characters
from .store import audit


def _fail(message: str) -> None:
    """One line on standard error and exit code 2; nothing on standard output."""
    click.echo(message, err=True)
    sys.exit(2)


@click.command("recount")
@click.argument("record_path", type=click.Path(dir_okay=False, path_type=Path))
def recount_command(record_path: Path) -> None:
    """Recount a union-ballot-record/1 file and print its union-ballot-result/1."""
    # A large record is millions of small objects that all live until the end; the cyclic
    # garbage collector would walk them again and again for nothing (a third of the time).
    gc.disable()
    try:
        _recount(record_path)
    finally:
        gc.enable()


def _recount(record_path: Path) -> None:
    try:
        text = record_path.read_bytes()
    except OSError as error:
        _fail(f"{record_path}: cannot read ({error.strerror})")
    try:
        contest, ballots = parse_record(text)
    except RuleError as error:
        _fail(str(error))
    result = recount(contest, ballots)
    problems = conservation_problems(contest, result)
    if problems:  # cannot happen if the rules are right; never print a wrong result
        _fail("internal check failed: " + "; ".join(problems))
    for char, names in unknown_characters(c.name for c in contest.candidates).items():
        click.echo(f"note: no stroke data for {char} (in {', '.join(names)}); "
                   "sorted after known characters", err=True)
    click.echo(json.dumps(result, ensure_ascii=False, indent=1))


@click.command("demo")
def demo_command() -> None:
    """Create a realistic demo congress; the last line printed is JSON with its ids."""
    from .demo import create_demo

    ids = create_demo(get_db())
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
    from .ballots.cli import print_ballots_command  # issue 3

    app.cli.add_command(print_ballots_command)
    from .results.cli import export_command  # issue 6

    app.cli.add_command(export_command)
    from .security.tls_cli import tls_command  # issue 12: HTTPS on the hall network

    app.cli.add_command(tls_command)
