"""`flask --app app …` commands: recount, demo, verify-audit, and more as areas add them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from .db import get_db
from .store import audit, write_transaction


def _fail(message: str) -> None:
    """One line on standard error and exit code 2; nothing on standard output."""
    click.echo(message, err=True)
    sys.exit(2)


@click.command("recount")
@click.argument("record_path")
@click.option("--digest", "printed_digest", default=None,
              help="the ballot digest printed on the signed count report: exit 2 unless the "
                   "record's ballots are exactly those")
def recount_command(record_path: str, printed_digest: str | None = None) -> None:
    """Recount a union-ballot-record/1 file and print its union-ballot-result/1
    (the same as `python -m app.recount RECORD.json`)."""
    from .recount import run  # light: the record format and the rules only

    code = run(record_path, _ClickStream(err=False), _ClickStream(err=True), printed_digest)
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
    """Create a realistic demo congress; the last line printed is JSON with its ids.
    Each account gets a random password, shown here once and kept in
    INSTANCE/demo-passwords.txt (mode 0600)."""
    from .demo import TEST_PASSWORD_VARIABLE, add_demo_plenary, create_demo, demo_passwords, open_demo_rounds

    db = get_db()
    passwords = demo_passwords()
    ids = create_demo(db, passwords=passwords)
    if plenary:  # R13: the committee election held and sealed, its first plenary started
        ids = add_demo_plenary(db, ids, current_app.config["BALLOT_KEY"])
    ids["open_round_ids"] = open_demo_rounds(db, ids)  # ready to print and count at once
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
    from .commands.ballots import print_ballots_command  # issue 3

    app.cli.add_command(print_ballots_command)
    from .commands.results import export_command  # issue 6

    app.cli.add_command(export_command)
    from .commands.batch import scan_batch_command  # issue 13

    app.cli.add_command(scan_batch_command)
    from .commands.tls import tls_command  # issue 12: HTTPS on the hall network

    app.cli.add_command(tls_command)
