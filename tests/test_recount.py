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


# Records that json.loads takes silently or crashes on (issue 15) ----------------------------
def _text_record(ballot_json: str) -> str:
    """The example record with its first ballot replaced by raw JSON text."""
    record = base_record()
    first = record["ballots"].pop(0)
    record["ballots"].insert(0, {"id": "PLACEHOLDER"})
    text = json.dumps(record, ensure_ascii=False)
    return text.replace('{"id": "PLACEHOLDER"}', ballot_json.replace("ID", first["id"]))


NASTY = [
    ("duplicate mark key", _text_record('{"id": "ID", "marks": {"c1": "no", "c1": "yes"}}'),
     "ballots[0].marks: duplicate key c1"),
    ("duplicate ballot key", _text_record('{"id": "ID", "marks": {}, "marks": {"c1": "yes"}}'),
     "ballots[0]: duplicate key marks"),
    ("duplicate top key", '{"format": "union-ballot-record/1", "format": "x"}',
     "record: duplicate key format"),
    ("nested 1,000 deep",
     _text_record('{"id": "ID", "marks": {}, "write_ins": ' + "[" * 1000 + "]" * 1000 + "}"),
     "record: JSON nested too deeply"),
    ("nested 100,000 deep", "[" * 100_000, "record: JSON nested too deeply"),
    ("5,000-digit integer",
     json.dumps(base_record()).replace('"seats": ', '"seats": ' + "9" * 5000 + ', "x": ', 1),
     "record (at byte "),
    ("lone surrogate in a candidate name",
     json.dumps(broken(lambda r: r["contest"]["candidates"][0].update(name="王\ud800"))),
     "contest.candidates[0].name: contains a lone surrogate"),
    ("lone surrogate in a write-in name",
     json.dumps(broken(lambda r: r["ballots"][0].update(write_ins=[{"name": "\udc00", "mark": "yes"}]))),
     "ballots[0].write_ins[0].name: contains a lone surrogate"),
    ("lone surrogate in a ballot id", json.dumps(broken(lambda r: r["ballots"][1].update(id="\ud800x"))),
     "ballots[1].id: contains a lone surrogate"),
    ("lone surrogate as a mark key", _text_record('{"id": "ID", "marks": {"\\ud800": "yes"}}'),
     "ballots[0].marks.\\ud800: unknown candidate id"),
    ("write-in without mark",
     json.dumps(broken(lambda r: r["ballots"][0].update(write_ins=[{"name": "赵六"}])), ensure_ascii=False),
     "ballots[0].write_ins[0].mark: missing required field"),
    ("not UTF-8", b'{"format": "\xff"}', "record: not"),
    ("empty file", "", "record: not valid JSON"),
]


@pytest.mark.parametrize("name, text, message", NASTY, ids=[n[0] for n in NASTY])
def test_a_nasty_record_exits_2_with_one_line(app, tmp_path, name, text, message):
    path = tmp_path / "record.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = app.test_cli_runner().invoke(args=["recount", str(path)])
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr


def test_a_write_in_without_mark_was_counted_as_approve_before_and_is_refused_now(tmp_path):
    record = broken(lambda r: r["ballots"][0].update(write_ins=[{"name": "赵六"}]))
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record, ensure_ascii=False))
    done = run_light(path)
    assert done.returncode == 2 and "write_ins[0].mark: missing required field" in done.stderr


def run_light(path, *extra):
    return subprocess.run([sys.executable, "-m", "app.recount", str(path), *extra], cwd=ROOT,
                          capture_output=True, text=True)


def test_a_directory_is_one_line(tmp_path):
    done = run_light(tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [f"{tmp_path}: is a directory, not a record file"]


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda p: p.name)
def test_light_recount_gives_exactly_the_examples_results(record):
    done = run_light(record)
    assert done.returncode == 0, done.stderr
    expected = json.loads(record.with_name(record.name.replace(".record.", ".result.")).read_text())
    assert json.loads(done.stdout) == expected


def test_light_recount_imports_only_the_record_and_the_rules():
    probe = ("import sys, io, app.recount as r; "
             f"r.run({str(EXAMPLES[0])!r}, io.StringIO(), sys.stderr); "
             "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    modules = set(done.stdout.split())
    assert "app.record" in modules and "app.rules.tally" in modules
    heavy = {"flask", "werkzeug", "click", "cv2", "numpy", "fpdf", "PIL", "sqlite3", "sqlite_utils",
             "app.db", "app.api", "app.web", "app.scan", "app.results", "app.counting"}
    assert not heavy & modules, heavy & modules
    assert {m for m in modules if m.startswith("app.")} <= (
        {"app.record", "app.recount"} | {m for m in modules if m.startswith("app.rules")})


def test_unknown_characters_in_write_in_names_are_reported_on_stderr(tmp_path):
    record = broken(lambda r: r["ballots"][0].update(write_ins=[{"name": "钱𠈌", "mark": "yes"}]))
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record, ensure_ascii=False))
    done = run_light(path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "union-ballot-result/1"
    notes = done.stderr.strip().splitlines()
    assert len(notes) == 1 and "𠈌" in notes[0] and "written-in" in notes[0] and "钱𠈌" in notes[0]
