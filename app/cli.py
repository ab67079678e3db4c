"""`flask --app app …` commands: recount, demo, verify-audit, and more as areas add them."""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

import click
from flask import Flask

from .db import get_db
from .record import parse_record, recount
from .rules import RuleError, conservation_problems, unknown_characters
from .store import audit, write_transaction


def _fail(message: str) -> None:
    """One line on standard error and exit code 2; nothing on standard output."""
    click.echo(message, err=True)
    sys.exit(2)


@click.command("recount")
@click.argument("record_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--digest", "printed_digest", default=None,
              help="the ballot digest printed on the signed count report: exit 2 unless the "
                   "record's ballots are exactly those")
def recount_command(record_path: Path, printed_digest: str | None = None) -> None:
    """Recount a union-ballot-record/1 file and print its union-ballot-result/1."""
    # A large record is millions of small objects that all live until the end; the cyclic
    # garbage collector would walk them again and again for nothing (a third of the time).
    gc.disable()
    try:
        _recount(record_path, printed_digest)
    finally:
        gc.enable()


def _recount(record_path: Path, printed_digest: str | None = None) -> None:
    try:
        text = record_path.read_bytes()
    except OSError as error:
        _fail(f"{record_path}: cannot read ({error.strerror})")
    try:
        contest, ballots = parse_record(text)
    except RuleError as error:
        _fail(str(error))
    if printed_digest is not None:
        from .results.digest import ballots_digest
        from .security.anchor import digest_matches

        actual = ballots_digest(ballots)
        if not digest_matches(actual, printed_digest):
            _fail(f"digest mismatch: the report says {printed_digest}, these ballots give "
                  f"{actual} (ballots added, removed or changed)")
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
    """Create a realistic demo congress; the last line printed is JSON with its ids.
    Each account gets a random password, shown here once and kept in
    INSTANCE/demo-passwords.txt (mode 0600)."""
    from flask import current_app

    from .demo import TEST_PASSWORD_VARIABLE, create_demo, demo_passwords

    passwords = demo_passwords()
    ids = create_demo(get_db(), passwords=passwords)
    if not os.environ.get(TEST_PASSWORD_VARIABLE):
        path = Path(current_app.config["INSTANCE_DIR"]) / DEMO_PASSWORD_FILE
        lines = [f"{name}\t{password}" for name, password in passwords.items()]
        _write_private(path, "\n".join(lines) + "\n")
        click.echo("演示大会已创建。各账号的随机密码（只显示这一次，另存于 "
                   f"{path}，仅管理员可读）/ demo accounts and their random passwords:")
        for line in lines:
            click.echo("  " + line.replace("\t", "  "))
    click.echo(json.dumps(ids, ensure_ascii=False))


DEMO_PASSWORD_FILE = "demo-passwords.txt"


def _write_private(path: Path, text: str) -> None:
    """Create `path` readable and writable by its owner only (root under scripts/run.sh)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


@click.command("create-admin")
@click.option("--username", default="admin", show_default=True)
@click.option("--if-missing", is_flag=True,
              help="do nothing when an active secretariat account exists (scripts/run.sh)")
def create_admin_command(username: str, if_missing: bool) -> None:
    """First start of a real installation: create the secretariat's account with a password
    typed at the server, twice, not shown (or set a new one for that account). Refused
    when weak."""
    from .congress.setup import create_user
    from .errors import AppError
    from .security import users
    from .security.passwords import check_password

    db = get_db()
    if if_missing and db.execute("SELECT 1 FROM app_user WHERE role = 'admin' AND active = 1"
                                 ).fetchone():
        return
    password = click.prompt("秘书处账号密码 / secretariat password", hide_input=True,
                            confirmation_prompt=True)
    try:
        check_password(password)
    except AppError as error:
        _fail(error.message())
    row = db.execute("SELECT id FROM app_user WHERE username = ?", [username]).fetchone()
    if row is None:
        with write_transaction(db):
            create_user(db, username=username, display_name="秘书处", password=password,
                        role="admin", actor="setup")
        click.echo(f"秘书处账号 {username} 已创建 / account created")
    else:
        users.reset_password(db, row["id"], password, "setup")
        click.echo(f"秘书处账号 {username} 的密码已更新 / password set")


@click.command("verify-audit")
@click.option("--head", "printed_head", default=None,
              help="ENTRY:HASH as printed on a signed report or shown on the board: also "
                   "find the log cut short or rewritten since then")
def verify_audit_command(printed_head: str | None = None) -> None:
    """Check the audit log's hash chain; name the first broken entry."""
    if printed_head is not None:
        from .security.anchor import check_head

        anchored = check_head(get_db(), printed_head)
        if not anchored.ok:
            _fail(f"audit log does not match the printed head: {anchored.problem}")
        click.echo(f"audit log holds the printed head {printed_head.strip()}")
    check = audit.verify_chain(get_db())
    if check.ok:
        click.echo(f"audit chain ok: {check.entries} entries")
        return
    _fail(f"audit chain broken at entry {check.first_broken_id}: {check.problem}")


def register_commands(app: Flask) -> None:
    for command in (recount_command, demo_command, verify_audit_command, create_admin_command):
        app.cli.add_command(command)
    from .ballots.cli import print_ballots_command  # issue 3

    app.cli.add_command(print_ballots_command)
    from .results.cli import export_command  # issue 6

    app.cli.add_command(export_command)
