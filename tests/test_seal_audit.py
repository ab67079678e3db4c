"""The audit chain (issue 6, item 6): sealing and the next round are audited, and
`flask --app app verify-audit` names the first broken entry when someone alters,
re-hashes or removes a row behind the service's back (the append-only triggers
dropped in the attacker's own connection)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from app.results.next_round import create_next_round
from app.results.sealing import seal
from app.store import audit, connect
from tests.conftest import ROOT
from tests.test_results_support import SIGNATURES, make_round


@pytest.fixture
def history(app, instance_dir):
    """A sealed void round and its repeat: a realistic audit log in the app's database."""
    db = connect(app.config["DATABASE"])
    rnd = make_round(db, app.config["BALLOT_KEY"], names=["王红", "李明", "张伟"], seats=2)
    rnd.votes(3, {"c1": "yes"})
    rnd.enter_counts(3, 4)
    seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")
    create_next_round(db, rnd.round_id, "admin:admin")
    seal_id = db.execute("SELECT id FROM audit_log WHERE action = 'round.seal'").fetchone()[0]
    yield db, seal_id, instance_dir
    db.close()


def real_verify_audit(instance_dir) -> subprocess.CompletedProcess:
    """The command exactly as an operator runs it, in its own process."""
    env = {**os.environ, "UNION_INSTANCE_DIR": str(instance_dir)}
    env.pop("UNION_DATABASE", None)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "verify-audit"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def verify_audit(app) -> Outcome:
    """The same command in this process (faster), through Flask's CLI runner."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["verify-audit"])
    return Outcome(result.exit_code, result.stdout, result.stderr)


def _tamper(db, sql: str, *params) -> None:
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    db.execute(sql, params)
    db.conn.commit()


def test_seal_and_next_round_leave_audit_entries(history):
    db, seal_id, _ = history
    actions = [row[0] for row in db.execute("SELECT action FROM audit_log WHERE id >= ? ORDER BY id",
                                            [seal_id])]
    assert actions == ["round.seal", "round.next"]
    detail = json.loads(db.execute("SELECT detail_json FROM audit_log WHERE id = ?",
                                   [seal_id]).fetchone()[0])
    assert detail["outcome"] == "void" and len(detail["digest"]) == 64


def test_untouched_chain_verifies(app, history):
    db, _, _instance = history
    result = verify_audit(app)
    assert result.returncode == 0, result.stderr
    assert f"{audit.verify_chain(db).entries} entries" in result.stdout


def test_altered_entry_is_named(history):
    db, seal_id, instance = history
    _tamper(db, "UPDATE audit_log SET detail_json = ? WHERE id = ?",
            json.dumps({"outcome": "decided"}), seal_id)
    result = real_verify_audit(instance)
    assert result.returncode == 2
    assert f"entry {seal_id}:" in result.stderr and "altered" in result.stderr
    assert result.stdout == ""


def test_altered_and_rehashed_entry_breaks_the_next_link(app, history):
    db, seal_id, _instance = history
    row = db.execute("SELECT * FROM audit_log WHERE id = ?", [seal_id]).fetchone()
    forged = json.dumps({"outcome": "decided"})
    new_hash = audit.entry_hash(row["prev_hash"], row["at"], row["actor"], row["action"],
                                row["subject"], forged)
    _tamper(db, "UPDATE audit_log SET detail_json = ?, hash = ? WHERE id = ?", forged, new_hash, seal_id)
    result = verify_audit(app)
    assert result.returncode == 2
    assert f"entry {seal_id + 1}:" in result.stderr and "link" in result.stderr


def test_removed_entry_is_named(app, history):
    db, seal_id, _instance = history
    _tamper(db, "DELETE FROM audit_log WHERE id = ?", seal_id)
    result = verify_audit(app)
    assert result.returncode == 2
    assert f"entry {seal_id}" in result.stderr and "missing" in result.stderr


def test_the_service_itself_cannot_alter_the_log(history):
    import sqlite3

    db, seal_id, _ = history
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET actor = 'x' WHERE id = ?", [seal_id])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log WHERE id = ?", [seal_id])
