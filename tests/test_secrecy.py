"""R10 by construction, through a real server: an attacker with everything the service
stores and logs (the database file, the audit log, the instance folder, the server's
log, every export and every view a teller can open) tries to tie a roster person to a
ballot serial, and must fail."""

from __future__ import annotations

import json
import re
import sqlite3
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer
from tests.support.http import signed_in_client

SERIAL_RE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")
MINIMUM = 20


def _client(server: LiveServer, username: str) -> httpx.Client:
    return signed_in_client(server.url, username)


@pytest.fixture
def hall(tmp_path: Path, live_demo):
    instance = tmp_path / "instance"
    instance.mkdir()
    server = LiveServer(instance)
    server.env["UNION_MIN_PRINT_BATCH"] = str(MINIMUM)
    server.load_demo(live_demo)
    server.start()
    yield server
    server.stop()


def _print(admin: httpx.Client, round_id: int, count: int) -> httpx.Response:
    started = admin.post(f"/api/rounds/{round_id}/print-jobs", json={"count": count})
    if started.status_code != 202 and started.status_code != 200:
        return started
    job = started.json()
    deadline = time.monotonic() + 120
    while job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.3)
        job = admin.get(f"/api/print-jobs/{job['id']}").json()
    assert job["state"] == "done", job
    pdf = admin.get(job["download_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    return started


def _everything_stored(server: LiveServer) -> dict[str, list[dict]]:
    """Every row of every table, as an attacker with the database file reads them."""
    connection = sqlite3.connect(server.instance / "union.sqlite3")
    connection.row_factory = sqlite3.Row
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    data = {table: [dict(row) for row in connection.execute(f'SELECT * FROM "{table}"')]
            for table in tables}
    connection.close()
    return data


def test_nothing_stored_logged_or_exported_ties_a_delegate_to_a_ballot(hall: LiveServer):
    demo = hall.demo
    congress = demo["congress_id"]
    admin = _client(hall, "admin")
    rounds = admin.get("/api/ballot-rounds").json()
    committee = next(r for r in rounds if r["contest_id"] == demo["contest_ids"]["committee"])
    round_id = committee["round_id"]
    assert committee["state"] == "open"  # the demo opens round 1 of every contest

    # Every ballot and spare is printed before voting, in one batch of at least the minimum.
    assert _print(admin, round_id, 40).status_code in (200, 202)
    assert not list((hall.instance / "print_jobs").glob("*.pdf")), "a print PDF was kept"

    # A late arrival checks in; a one-sheet batch for them is refused with the reason.
    people = admin.get(f"/api/congresses/{congress}/people", params={"limit": 500}).json()["people"]
    late = next(p for p in people if p["entitled"] and not p["present"])
    assert admin.post(f"/api/congresses/{congress}/attendance",
                      json={"person_id": late["id"]}).status_code == 200
    refused = admin.post(f"/api/rounds/{round_id}/print-jobs", json={"count": 1})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "batch_too_small" and "备用" in error["message"]

    # The tellers count: the late arrival's ballot is one of the spares printed before.
    serials = [row["serial"] for row in _everything_stored(hall)["ballot_serial"]]
    assert len(serials) == 40
    teller = _client(hall, "teller1")
    layout = teller.get(f"/api/rounds/{round_id}/layout").json()
    refs = [candidate["ref"] for candidate in layout["candidates"]]
    for index, serial in enumerate(serials[:30]):
        marks = {ref: ("yes" if (index + position) % 3 == 0 else "no") for position, ref in enumerate(refs)}
        response = teller.post(f"/api/rounds/{round_id}/ballots",
                               json={"client_id": str(uuid.uuid4()), "serial": serial, "marks": marks})
        assert response.status_code == 200, response.text

    # A teller sees who is present, but not when anyone checked in.
    for person in teller.get(f"/api/congresses/{congress}/people", params={"limit": 500}).json()["people"]:
        assert "checked_in_at" not in person and "card_code" not in person

    # --- the attacker's view ----------------------------------------------------------
    stored = _everything_stored(hall)
    export = admin.get(f"/api/results/rounds/{round_id}/export")
    assert export.status_code == 200
    export_text = export.text
    log_text = (hall.instance / "server.log").read_text(encoding="utf-8", errors="replace")
    files = {path: path.read_bytes() for path in hall.instance.rglob("*")
             if path.is_file() and not path.name.startswith("union.sqlite3") and path != hall.log}

    # 1. The export names no printed serial: a code on a sheet is no receipt.
    assert not [serial for serial in serials if serial in export_text]
    assert len(export.json()["ballots"]) == 30
    # 2. No log line names a serial, a person id or a check-in: route patterns only.
    assert not [serial for serial in serials if serial in log_text]
    assert f"/attendance/{late['id']}" not in log_text and "<int:congress_id>" in log_text
    assert not re.search(r"/api/ballots/[0-9A-Za-z]{5}-", log_text)
    # 3. No file in the instance folder (print jobs and their PDFs) holds a serial.
    assert not [path for path, data in files.items() if path.suffix == ".pdf"]
    assert not [path for path, data in files.items()
                if any(serial.encode() in data for serial in serials)]
    # 4. No table row holds both a person and a serial.
    for table, rows in stored.items():
        for row in rows:
            text = json.dumps(row, ensure_ascii=False)
            names_person = any(key in row for key in ("person_id",)) or \
                bool(re.search(r"person:\d+", text))
            assert not (names_person and SERIAL_RE.search(text)), (table, row)
    # 5. The timing attack: a check-in followed by a small print batch. Every batch is at
    # least the minimum, and times are kept to the minute, so no check-in is paired with
    # fewer than MINIMUM serials.
    assert all(batch["printed"] >= MINIMUM for batch in stored["ballot_batch"])
    for row in stored["attendance"] + stored["ballot_batch"] + stored["ballot_serial"]:
        at = row.get("checked_in_at") or row.get("created_at")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(\+00:00)?", at), at
    audit = stored["audit_log"]
    for before, after in zip(audit, audit[1:], strict=False):
        if before["action"] == "attendance.check_in" and after["action"] == "ballots.print":
            assert json.loads(after["detail_json"])["printed"] >= MINIMUM
    # The serials of one batch share one minute and are stored sorted: no hand-out order.
    batch_serials = [row["serial"] for row in stored["ballot_serial"]]
    assert batch_serials == sorted(batch_serials)
    assert len({row["created_at"] for row in stored["ballot_serial"]}) == 1
