"""Tamper evidence against the paper: someone with the database file rewrites a sealed
round and recomputes the hash chain, or cuts the log short; `verify-audit` alone cannot
tell, the head printed on the signed report can. `recount --digest` checks an export
against the report's digest."""

from __future__ import annotations

import json
import random

from app.errors import AppError
from app.results.export import export_record
from app.results.sealing import seal
from app.security.anchor import round_anchor
from app.store import audit, connect, write_transaction
from tests.test_results_export import _random_round
from tests.test_results_support import SIGNATURES


def _sealed(db):
    rng = random.Random(7)
    for _ in range(30):
        rnd = _random_round(db, rng)
        try:
            seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")
        except AppError:
            continue
        return rnd
    raise AssertionError("no sealable round")


def _rechain(db, from_id: int) -> None:
    """What an attacker with the file does after editing entries: recompute every hash."""
    prev = db.execute("SELECT hash FROM audit_log WHERE id = ?", [from_id - 1]).fetchone()
    prev_hash = prev[0] if prev else audit.GENESIS
    for row in db.execute("SELECT id, at, actor, action, subject, detail_json FROM audit_log"
                          " WHERE id >= ? ORDER BY id", [from_id]).fetchall():
        digest = audit.entry_hash(prev_hash, row["at"], row["actor"], row["action"],
                                  row["subject"], row["detail_json"])
        db.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                   [prev_hash, digest, row["id"]])
        prev_hash = digest


def _run(app, *args: str):
    with app.app_context():  # as `flask --app app …` runs them
        return app.test_cli_runner().invoke(args=list(args))


def _audit_triggers_off(db) -> None:
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')


def test_cutting_the_log_short_passes_the_chain_check_but_not_the_printed_head(app):
    db = connect(app.config["DATABASE"])
    rnd = _sealed(db)
    printed = round_anchor(db, rnd.round_id)
    assert printed["sealed"] and printed["digest"]
    assert _run(app, "verify-audit", "--head", printed["audit_head"]).exit_code == 0
    entry = int(printed["audit_head"].split(":")[0])
    with write_transaction(db):
        _audit_triggers_off(db)
        db.execute("DELETE FROM audit_log WHERE id >= ?", [entry - 4])  # the seal and 4 before
    assert _run(app, "verify-audit").exit_code == 0  # the chain alone still holds
    caught = _run(app, "verify-audit", "--head", printed["audit_head"])
    assert caught.exit_code == 2 and "truncated" in caught.output
    db.close()


def test_a_rewritten_and_rechained_log_is_caught_by_the_printed_head(app):
    db = connect(app.config["DATABASE"])
    rnd = _sealed(db)
    printed = round_anchor(db, rnd.round_id)
    with write_transaction(db):
        _audit_triggers_off(db)
        first = db.execute("SELECT min(id) FROM audit_log").fetchone()[0]
        db.execute("UPDATE audit_log SET detail_json = ? WHERE id = ?", ['{"forged":true}', first + 2])
        _rechain(db, first + 2)
    assert _run(app, "verify-audit").exit_code == 0  # recomputed: the chain alone is fooled
    caught = _run(app, "verify-audit", "--head", printed["audit_head"])
    assert caught.exit_code == 2 and "rewritten" in caught.output
    short = printed["audit_head"][: printed["audit_head"].index(":") + 17]  # printed cut short
    assert _run(app, "verify-audit", "--head", short).exit_code == 2
    db.close()


def test_recount_checks_an_export_against_the_reports_digest(app, tmp_path):
    db = connect(app.config["DATABASE"])
    rnd = _sealed(db)
    printed = round_anchor(db, rnd.round_id)["digest"]
    record = export_record(db, rnd.round_id)
    honest = tmp_path / "honest.json"
    honest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert _run(app, "recount", str(honest), "--digest", printed).exit_code == 0
    grouped = "-".join(printed[i:i + 4].upper() for i in range(0, 16, 4))  # as the report prints
    assert _run(app, "recount", str(honest), "--digest", grouped).exit_code == 0

    # Ballots changed so that another candidate wins: the digest no longer matches.
    forged = json.loads(json.dumps(record))
    refs = [c["id"] for c in forged["contest"]["candidates"]]
    assert forged["ballots"], "the sealed round has ballots"
    for ballot in forged["ballots"][: max(1, len(forged["ballots"]) // 2)]:
        ballot["marks"] = {refs[-1]: "yes"}
        ballot.pop("invalid", None)
        ballot.pop("write_ins", None)
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    caught = _run(app, "recount", str(bad), "--digest", printed)
    assert caught.exit_code == 2 and "digest mismatch" in caught.output
    db.close()


def test_the_signed_count_report_prints_the_audit_head_and_digest(app, tmp_path):
    import subprocess

    from app.results.reports import count_report_pdf

    db = connect(app.config["DATABASE"])
    rnd = _sealed(db)
    anchor = round_anchor(db, rnd.round_id)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(count_report_pdf(db, rnd.round_id))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    assert anchor["audit_head"] in text and anchor["digest"] in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    db.close()
