"""`flask --app app recount RECORD.json`: the spec's examples, and bad records."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED

EXAMPLES = sorted((SHARED / "spec" / "examples").glob("*.record.json"))


def test_there_are_examples_to_check():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda p: p.name)
def test_every_spec_example_recounts_to_exactly_its_result(app, record):
    result = app.test_cli_runner().invoke(args=["recount", str(record)])
    assert result.exit_code == 0, result.stderr
    expected = json.loads(record.with_name(record.name.replace(".record.", ".result.")).read_text())
    assert json.loads(result.stdout) == expected


def test_recount_as_a_real_command(tmp_path):
    env = {**os.environ, "UNION_INSTANCE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "recount", str(EXAMPLES[0])],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0
    assert json.loads(done.stdout)["format"] == "union-ballot-result/1"


def base_record() -> dict:
    return json.loads((SHARED / "spec" / "examples" / "decided.record.json").read_text())


def broken(change) -> dict:
    record = base_record()
    change(record)
    return record


BAD = [
    ("not json", "{nope", "record: not valid JSON"),
    ("wrong format", broken(lambda r: r.update(format="union-ballot-record/2")),
     "format: expected union-ballot-record/1"),
    ("unknown candidate", broken(lambda r: r["ballots"][17]["marks"].update(c9="yes")),
     "ballots[17].marks.c9: unknown candidate id"),
    ("bad mark word", broken(lambda r: r["ballots"][3]["marks"].update(c1="maybe")),
     "ballots[3].marks.c1: mark 'maybe' is not one of yes, no, abstain, unreadable"),
    ("missing seats", broken(lambda r: r["contest"].pop("seats")), "contest.seats: missing required field"),
    ("duplicate ballot id", broken(lambda r: r["ballots"][5].update(id=r["ballots"][4]["id"])),
     "ballots[5].id: duplicate ballot id"),
    ("missing marks", broken(lambda r: r["ballots"][2].pop("marks")),
     "ballots[2].marks: missing required field"),
    ("seats not a number", broken(lambda r: r["contest"].update(seats="two")),
     "contest.seats: must be a whole number"),
    ("unknown setting", broken(lambda r: r["contest"].update(rules={"quorum": "most"})),
     "contest.rules.quorum: must be one of"),
    ("bad write-in mark", broken(lambda r: r["ballots"][0].update(write_ins=[{"name": "赵六", "mark": "x"}])),
     "ballots[0].write_ins[0].mark"),
    ("present above entitled", broken(lambda r: r["contest"].update(present=99)), "contest.present"),
    ("duplicate candidate id", broken(lambda r: r["contest"]["candidates"][1].update(id="c1")),
     "contest.candidates[1].id: duplicate candidate id"),
    ("ballots not a list", broken(lambda r: r.update(ballots={})), "ballots: must be a list"),
]


@pytest.mark.parametrize("name, record, message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_record_exits_2_with_one_line_naming_the_problem(app, tmp_path, name, record, message):
    path = tmp_path / "record.json"
    path.write_text(record if isinstance(record, str) else json.dumps(record, ensure_ascii=False))
    result = app.test_cli_runner().invoke(args=["recount", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["recount", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and result.stdout == "" and "cannot read" in result.stderr


def test_unknown_stroke_characters_are_reported_on_stderr_without_failing(app, tmp_path):
    record = base_record()
    record["contest"]["candidates"][2]["name"] = "郑𠈌"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record, ensure_ascii=False))
    result = app.test_cli_runner().invoke(args=["recount", str(path)])
    assert result.exit_code == 0
    assert "𠈌" in result.stderr
    assert json.loads(result.stdout)["tally"][-1]["name"] == "郑𠈌"  # sorted after known names


def test_large_record_recounts_correctly(app, tmp_path):
    """A 5,000-ballot record: the fast path agrees with per-ballot judging (speed is a benchmark)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_recount import make_record

    record = make_record(ballots=5_000, candidates=50, seats=21, seed=7)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(record))
    result = app.test_cli_runner().invoke(args=["recount", str(path)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ballots"]["recorded"] == 5_000
    assert all(row["yes"] + row["no"] + row["abstain"] == data["ballots"]["valid"]
               for row in data["tally"] if not row["write_in"])
