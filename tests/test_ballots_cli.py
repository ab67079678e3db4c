"""`flask --app app print-ballots`: once as a person runs it (a real process), and its
refusals through Flask's CLI runner (same code, no process start-up)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pypdfium2 as pdfium
import pytest

from tests import test_ballots_support as support
from tests.conftest import ROOT

ballot_template, ballot_hall = support.ballot_template, support.ballot_hall  # shared fixtures


def test_print_ballots_writes_the_pdf_of_the_open_round(ballot_template, tmp_path):
    template, demo, rounds, _draft = ballot_template
    instance = tmp_path / "instance"
    shutil.copytree(template, instance)
    out = tmp_path / "ballots.pdf"
    env = {**os.environ, "UNION_INSTANCE_DIR": str(instance)}
    env.pop("UNION_DATABASE", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "print-ballots",
                           str(demo["contest_ids"]["committee"]), "--count", "4", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "印制选票" in done.stderr  # click's progress bar (its label only, without a terminal)
    assert str(out) in done.stdout and "4 张选票" in done.stdout
    assert len(pdfium.PdfDocument(out)) == 4
    from app.store import connect

    db = connect(instance / "union.sqlite3")
    assert db.execute("SELECT count(*) FROM ballot_serial WHERE round_id = ?",
                      [rounds["committee"]]).fetchone()[0] == 4
    db.close()


@pytest.mark.parametrize("contest, extra, message", [
    ("chair", (), "没有进行中的一轮投票"),
    (None, (), "找不到该选举事项"),
    ("committee", ("--round", "7"), "没有第 7 轮"),
    ("committee", ("--count", "0"), "--count"),
])
def test_print_ballots_refuses_with_one_line_and_exit_code_2(ballot_hall, tmp_path, contest,
                                                             extra, message):
    contest_id = ballot_hall.demo["contest_ids"][contest] if contest else 999
    out = tmp_path / "no.pdf"
    count = () if "--count" in extra else ("--count", "2")
    result = ballot_hall.app.test_cli_runner().invoke(
        args=["print-ballots", str(contest_id), *count, *extra, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()
    assert ballot_hall.db().execute("SELECT count(*) FROM ballot_serial").fetchone()[0] == 0
