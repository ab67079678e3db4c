"""`flask --app app scan-batch ROUND_ID FILE [--out READINGS.json]` on small scanned
stacks made like a copier makes them (scripts/make_scan_deck.py): the exact output
contract, the refusals, and that nothing is counted."""

from __future__ import annotations

import json

import make_scan_deck
import pytest
from batch_support import open_hall, run_scan_batch

from app.db import get_db

SUMMARY_KEYS = {"pages", "read", "unsure", "refused", "seconds"}
PAGE_KEYS = {"page", "serial", "refused", "marks", "write_ins"}
MARKS = {"yes", "no", "abstain", "unsure"}


@pytest.fixture
def hall(app, demo):
    with app.app_context():
        return open_hall(get_db(), demo["contest_ids"]["committee"], app.config["BALLOT_KEY"], 8)


def _check_contract(result, out_path, truths, hall) -> tuple[dict, list[dict]]:
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert set(summary) == SUMMARY_KEYS
    assert "读取扫描件" in result.stderr  # the progress bar is on standard error
    readings = json.loads(out_path.read_text())
    assert isinstance(readings, list) and len(readings) == len(truths) == summary["pages"]
    for index, (reading, truth) in enumerate(zip(readings, truths, strict=True)):
        assert set(reading) == PAGE_KEYS
        assert reading["page"] == index + 1
        if truth.kind != "ballot":
            assert reading["refused"] is not None and reading["marks"] == {} and reading["write_ins"] == []
            continue
        assert reading["refused"] is None, reading
        assert reading["serial"] == truth.serial
        assert set(reading["marks"]) == set(hall.refs)
        assert set(reading["marks"].values()) <= MARKS
        for ref, mark in reading["marks"].items():  # no silent misread
            assert mark in (truth.marks[ref], "unsure"), (reading["page"], ref, mark, truth.marks[ref])
        assert len(reading["write_ins"]) == len(hall.layout["write_ins"])
        for item, expected in zip(reading["write_ins"], truth.write_ins, strict=True):
            assert set(item) == {"row", "mark", "has_name"}
            assert item["mark"] in (expected["mark"], "unsure")
            # An empty name row is not taken for a name: a printed row border that the
            # copier's scale moves into the area is not pencil (each would cost a look).
            assert item["has_name"] or not expected["has_name"] or not expected.get("clear", True), \
                (reading["page"], item, expected)
            assert expected["has_name"] or not item["has_name"], (reading["page"], item, expected)
    unsure_pages = sum(1 for r in readings if not r["refused"] and (
        "unsure" in r["marks"].values() or any(w["mark"] == "unsure" for w in r["write_ins"])))
    assert summary["unsure"] == unsure_pages
    assert summary["read"] == sum(1 for r in readings if not r["refused"])
    assert summary["refused"] == sum(1 for r in readings if r["refused"])
    return summary, readings


def test_a_grey_pdf_with_a_blank_back_and_a_foreign_page(app, hall, instance_dir, tmp_path):
    stack, out = tmp_path / "stack.pdf", tmp_path / "readings.json"
    truths = make_scan_deck.write_stack(stack, hall.layout, hall.ballots(hall.serials[:4]),
                                        copier=make_scan_deck.Copier(dpi=200, upside_down=0.5),
                                        seed=11, blanks=1, foreign=1)
    result = run_scan_batch(instance_dir, str(hall.round_id), str(stack), "--out", str(out))
    summary, readings = _check_contract(result, out, truths, hall)
    assert (summary["pages"], summary["read"], summary["refused"]) == (6, 4, 2)
    refusals = {t.kind: r["refused"] for r, t in zip(readings, truths, strict=True) if t.kind != "ballot"}
    assert refusals == {"blank": "blank_page", "foreign": "not_a_ballot"}
    with app.app_context():  # staged, not counted
        db = get_db()
        assert db.execute("SELECT count(*) FROM ballot").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM ballot_submission").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM scan_page").fetchone()[0] == 6


def test_a_colour_tiff_at_300_dpi_with_a_repeat_and_another_rounds_ballot(app, hall, demo, instance_dir,
                                                                          tmp_path):
    other_contest = demo["contest_ids"]["audit_committee"]
    with app.app_context():
        other_round = get_db().execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                                       [other_contest]).fetchone()[0]
    ballots = hall.ballots(hall.serials[:2]) + hall.ballots([hall.serials[0]]) + \
        hall.ballots([hall.serials[5]], contest_id=other_contest, round_id=other_round)
    stack, out = tmp_path / "stack.tif", tmp_path / "readings.json"
    truths = make_scan_deck.write_stack(stack, hall.layout, ballots, seed=5, blanks=1,
                                        copier=make_scan_deck.Copier(dpi=300, colour=True, upside_down=0.3))
    result = run_scan_batch(instance_dir, str(hall.round_id), str(stack), "--out", str(out))
    assert result.returncode == 0, result.stderr
    readings = json.loads(out.read_text())
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(summary) == SUMMARY_KEYS and summary["pages"] == 5
    by_serial: dict[str, list[str | None]] = {}
    for reading, truth in zip(readings, truths, strict=True):
        assert set(reading) == PAGE_KEYS
        if truth.kind == "blank":
            assert reading["refused"] == "blank_page"
        else:
            by_serial.setdefault(truth.serial, []).append(reading["refused"])
    assert by_serial[hall.serials[0]] == [None, "duplicate_in_batch"]  # the later copy is refused
    assert by_serial[hall.serials[1]] == [None]
    assert by_serial[hall.serials[5]] == ["other_round"]
    assert (summary["read"], summary["refused"]) == (2, 3)


def test_a_file_that_is_not_a_scan_exits_2_with_one_line(app, hall, instance_dir, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a scan")
    result = run_scan_batch(instance_dir, str(hall.round_id), str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "PDF" in result.stderr and "Traceback" not in result.stderr
    result = run_scan_batch(instance_dir, "999999", str(bad))
    assert result.returncode == 2 and "找不到该轮投票" in result.stderr
