"""Staging and confirming a scanned stack through the HTTP API: nothing is counted until
a teller confirms; confirming records each ballot once, through the tablets' recording,
so a ballot a tablet already counted is a duplicate (same reading) or a conflict
(different reading); the reject list; the cross-check for the scrutineers; refusals."""

from __future__ import annotations

import io
import json

import make_scan_deck
import pytest
from batch_support import open_hall

from app.db import get_db
from tests.conftest import copy_database


@pytest.fixture(scope="module")
def staged_template(tmp_path_factory, demo_template):
    """Once per module: the demo with the committee's round 1 open and a 9-page stack read
    into a batch (6 ballots, one of them twice, a blank back and a foreign page)."""
    from app.batch.staging import create_batch, read_file
    from tests.conftest import app_with_demo

    instance = tmp_path_factory.mktemp("batch-template")
    application = app_with_demo(instance, demo_template)
    with application.app_context():
        db = get_db()
        hall = open_hall(db, demo_template[1]["contest_ids"]["committee"],
                         application.config["BALLOT_KEY"], 10)
        ballots = hall.ballots(hall.serials[:6]) + hall.ballots([hall.serials[2]])
        stack = instance / "stack.pdf"
        truths = make_scan_deck.write_stack(stack, hall.layout, ballots, seed=21, blanks=1, foreign=1,
                                            copier=make_scan_deck.Copier(upside_down=0.3),
                                            write_in_share=0.15)
        batch_id = create_batch(db, hall.round_id, "stack.pdf", None, "test")
        read_file(db, batch_id, stack, key=hall.key, workers=1)
    return application.config["DATABASE"], hall, truths, batch_id


@pytest.fixture
def staged(app, demo, staged_template):
    path, hall, truths, batch_id = staged_template
    copy_database(path, app.config["DATABASE"])
    return hall, truths, batch_id


def _count(app, sql: str, *args) -> int:
    with app.app_context():
        return get_db().execute(sql, list(args)).fetchone()[0]


def _pages(client, batch_id: int) -> list[dict]:
    response = client.get(f"/api/scan-batches/{batch_id}")
    assert response.status_code == 200, response.json
    return response.json["page_list"]


def test_a_staged_batch_counts_nothing(app, staged, signed_in):
    hall, truths, batch_id = staged
    body = signed_in("teller1").get(f"/api/scan-batches/{batch_id}").json
    assert body["state"] == "ready" and body["pages"] == body["done"] == 9
    counts = body["counts"]
    assert counts["recorded"] == 0 and counts["blank"] == 1 and counts["rejected"] == 2  # foreign + repeat
    assert counts["clean"] + counts["to_check"] == 6
    assert _count(app, "SELECT count(*) FROM ballot") == 0
    assert _count(app, "SELECT count(*) FROM ballot_submission") == 0
    assert _count(app, "SELECT count(*) FROM audit_log WHERE action = 'ballot.record'") == 0
    image = signed_in("teller1").get(body["page_list"][0]["image_url"])
    assert image.status_code == 200 and image.data[:2] == b"\xff\xd8"


def test_confirming_records_each_clean_ballot_once(app, staged, signed_in):
    hall, truths, batch_id = staged
    teller = signed_in("teller1")
    pages = _pages(teller, batch_id)
    clean = [p for p in pages if not p["refused"] and not p["needs_person"]]
    assert clean, "the deck should have clean pages"
    first = teller.post(f"/api/scan-batches/{batch_id}/confirm")
    assert first.status_code == 200, first.json
    assert first.json == {"added": len(clean), "duplicate": 0, "conflict": 0}
    again = signed_in("chief").post(f"/api/scan-batches/{batch_id}/confirm")
    assert again.json == {"added": 0, "duplicate": 0, "conflict": 0}
    assert _count(app, "SELECT count(*) FROM ballot") == len(clean)
    assert _count(app, "SELECT count(*) FROM ballot_submission") == len(clean)
    for page in clean:  # recorded as read, under the serial on the sheet
        truth = truths[page["page"] - 1]
        with app.app_context():
            row = get_db().execute("SELECT marks_json FROM ballot WHERE serial = ?",
                                   [truth.serial]).fetchone()
        assert json.loads(row[0]) == {ref: truth.marks[ref] for ref in hall.refs}
    progress = teller.get(f"/api/rounds/{hall.round_id}/progress").json
    mine = [t for t in progress["tellers"] if t["username"] == "teller1"]
    assert mine and mine[0]["ballots"] == len(clean)  # the teller's running count
    assert _count(app, "SELECT count(*) FROM audit_log WHERE action = 'batch.confirm'") == 1


def test_a_page_needing_a_person_is_confirmed_with_its_corrections(app, staged, signed_in):
    hall, truths, batch_id = staged
    teller = signed_in("teller1")
    page = next(p for p in _pages(teller, batch_id) if p["needs_person"])
    url = f"/api/scan-batches/{batch_id}/pages/{page['page']}/confirm"
    if "unsure" in page["marks"].values():
        refused = teller.post(url, json={"marks": page["marks"]})
        assert refused.status_code == 422 and refused.json["error"]["code"] == "still_unsure"
    truth = truths[page["page"] - 1]
    marks = {ref: (truth.marks[ref] if mark == "unsure" else mark) for ref, mark in page["marks"].items()}
    marks = {ref: ("unreadable" if mark == "unsure" else mark) for ref, mark in marks.items()}
    write_ins = [{"name": "张三", "mark": w["mark"] if w["mark"] != "unsure" else "none"}
                 for w in page["write_ins"] if w["has_name"]]
    done = teller.post(url, json={"marks": marks, "write_ins": write_ins})
    assert done.status_code == 200, done.json
    assert done.json == {"page": page["page"], "outcome": "added"}
    assert teller.post(url, json={"marks": marks, "write_ins": write_ins}).json["outcome"] == "added"
    assert _count(app, "SELECT count(*) FROM ballot WHERE serial = ?", truth.serial) == 1
    assert _count(app, "SELECT count(*) FROM ballot_submission WHERE serial = ?", truth.serial) == 1


def test_a_ballot_a_tablet_counted_is_a_duplicate_or_a_conflict(app, staged, signed_in):
    hall, truths, batch_id = staged
    tablet, teller = signed_in("teller2"), signed_in("teller1")
    clean = [p for p in _pages(teller, batch_id) if not p["refused"] and not p["needs_person"]]
    assert len(clean) >= 2, [(p["page"], p["review"], p["write_ins"]) for p in _pages(teller, batch_id)]
    same, other = clean[0], clean[1]
    changed = dict(other["marks"])
    ref = hall.refs[0]
    changed[ref] = "no" if changed[ref] != "no" else "yes"
    for page, marks in ((same, same["marks"]), (other, changed)):
        response = tablet.post(f"/api/rounds/{hall.round_id}/ballots",
                               json={"serial": page["serial"], "marks": marks,
                                     "client_id": f"tab-{page['page']:06d}"})
        assert response.json["status"] == "added", response.json
    outcome = teller.post(f"/api/scan-batches/{batch_id}/confirm").json
    assert outcome == {"added": len(clean) - 2, "duplicate": 1, "conflict": 1}
    by_page = {p["page"]: p for p in _pages(teller, batch_id)}
    assert (by_page[same["page"]]["outcome"], by_page[other["page"]]["outcome"]) == ("duplicate", "conflict")
    assert _count(app, "SELECT count(*) FROM ballot WHERE serial = ? AND status = 'conflict'",
                  other["serial"]) == 1
    conflicts = signed_in("scrutineer").get(f"/api/rounds/{hall.round_id}/conflicts").json["ballots"]
    assert [c["serial"] for c in conflicts] == [other["serial"]]
    report = signed_in("scrutineer").get(f"/api/rounds/{hall.round_id}/cross-check").json
    assert report["read_by_both"] == 2
    assert [item["serial"] for item in report["differing"]] == [other["serial"]]
    assert report["differing"][0]["differences"][0]["ref"] == ref
    assert report["differing"][0]["file"] == "stack.pdf"


def test_the_reject_list_names_each_sheet_to_pull(app, staged, signed_in):
    hall, truths, batch_id = staged
    body = signed_in("teller1").get(f"/api/scan-batches/{batch_id}/rejects?lang=en").json
    expected = []
    for index, truth in enumerate(truths):
        if truth.kind == "foreign":
            expected.append((index + 1, None, "not_a_ballot"))
        elif truth.kind == "ballot" and truth.serial == hall.serials[2] and any(
                e[1] == truth.serial for e in [(None, t.serial) for t in truths[:index]]):
            expected.append((index + 1, truth.serial, "duplicate_in_batch"))
    assert [(r["page"], r["serial"], r["reason"]) for r in body["rejects"]] == expected
    assert body["blank_pages"] == 1
    assert all(r["reason_text"] and "_" not in r["reason_text"] for r in body["rejects"])
    page = signed_in("teller1").get(f"/batch/{batch_id}/rejects")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "不是选票" in html and str(expected[0][0]) in html


def test_uploads_are_refused_clearly(app, staged, signed_in):
    hall, truths, batch_id = staged
    url = f"/api/rounds/{hall.round_id}/scan-batches"
    scrutineer = signed_in("scrutineer")
    assert scrutineer.post(url, data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                           content_type="multipart/form-data").status_code == 403
    teller = signed_in("teller1")
    missing = teller.post(url, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    bad = teller.post(url + "?lang=en", data={"file": (io.BytesIO(b"hello"), "notes.txt")},
                      content_type="multipart/form-data")
    assert bad.status_code == 202  # read in the background: the batch fails with a reason
    batch = bad.json["id"]
    for _ in range(100):
        state = teller.get(f"/api/scan-batches/{batch}").json
        if state["state"] != "reading":
            break
        import time
        time.sleep(0.1)
    assert state["state"] == "failed" and state["error"] == "unknown_format"
    assert teller.post(f"/api/scan-batches/{batch}/confirm").status_code == 409
    assert teller.post("/api/rounds/999999/scan-batches", data={"file": (io.BytesIO(b"x"), "a.pdf")},
                       content_type="multipart/form-data").status_code == 404
