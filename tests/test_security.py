"""Secrets come from config, never from the repository; nothing stored links a roster
person to a ballot serial (R10); the access log carries no query strings."""

from __future__ import annotations

import json
import re
import runpy
import stat
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, sign_in

SERIAL_RE = re.compile(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}")
PERSON_COLUMNS = {"person_id", "voter_id", "voter", "card_code"}


# --- secrets -------------------------------------------------------------------------

def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [ROOT / name for name in listed.stdout.decode().split("\0") if name]


def files_containing(values: list[str]) -> list[str]:
    found = []
    for path in tracked_files():
        if not path.is_file():
            continue
        content = path.read_bytes()
        found += [f"{path.relative_to(ROOT)} holds {value[:6]}…" for value in values
                  if value.encode() in content]
    return found


def test_secrets_come_from_the_environment_when_set(tmp_path, monkeypatch):
    from config import load_config

    monkeypatch.setenv("UNION_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("UNION_SECRET_KEY", "session-key-from-env-" + uuid.uuid4().hex)
    monkeypatch.setenv("UNION_BALLOT_KEY", "ballot-key-from-env-" + uuid.uuid4().hex)
    config = load_config()
    assert config["SECRET_KEY"].startswith("session-key-from-env-")
    assert config["BALLOT_KEY"].startswith("ballot-key-from-env-")
    assert list(tmp_path.iterdir()) == []  # nothing generated, nothing written


def test_missing_secrets_are_generated_into_the_instance_folder_readable_by_owner_only(
        tmp_path, monkeypatch):
    from config import load_config

    monkeypatch.delenv("UNION_SECRET_KEY", raising=False)
    monkeypatch.delenv("UNION_BALLOT_KEY", raising=False)
    keys = {}
    for name in ("hall-a", "hall-b"):
        monkeypatch.setenv("UNION_INSTANCE_DIR", str(tmp_path / name))
        config = load_config()
        for key, file_name in (("SECRET_KEY", "secret_key"), ("BALLOT_KEY", "ballot_key")):
            path = tmp_path / name / file_name
            assert path.read_text() == config[key]
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert re.fullmatch(r"[0-9a-f]{64}", config[key])
        assert load_config()["SECRET_KEY"] == config["SECRET_KEY"]  # kept, not remade
        keys[name] = (config["SECRET_KEY"], config["BALLOT_KEY"])
    assert len(set(keys["hall-a"] + keys["hall-b"])) == 4  # each installation its own


def test_no_tracked_file_holds_a_generated_secret(app):
    values = [app.config["SECRET_KEY"], app.config["BALLOT_KEY"]]
    dev_instance = ROOT / "instance"
    for name in ("secret_key", "ballot_key"):  # the developer's own installation, if any
        if (dev_instance / name).exists():
            values.append((dev_instance / name).read_text().strip())
    assert files_containing(values) == []


def test_the_instance_folder_is_never_tracked():
    assert not [path for path in tracked_files() if "instance" in path.relative_to(ROOT).parts]
    ignored = subprocess.run(["git", "check-ignore", "-q", "instance/secret_key"], cwd=ROOT)
    assert ignored.returncode == 0


def test_the_repository_holds_no_hard_coded_secret_key():
    # An assignment of a literal: SECRET_KEY = "…", "SECRET_KEY": "…", secret_key='…'
    pattern = re.compile(rb"""(?i)["']?(secret_key|ballot_key)["']?\s*[:=]\s*[bru]?["']""")
    offenders = [str(path.relative_to(ROOT)) for path in tracked_files()
                 if path.suffix in (".py", ".cfg", ".toml", ".ini", ".sh", ".env", ".json")
                 and path.is_file() and pattern.search(path.read_bytes())
                 and not path.name.startswith("test_")]
    assert offenders == []


# --- R10: no link between a roster person and a serial --------------------------------

def schema(db) -> dict[str, dict]:
    tables = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'"):
        columns = [row[1] for row in db.execute(f"PRAGMA table_info('{name}')")]
        parents = {row[2] for row in db.execute(f"PRAGMA foreign_key_list('{name}')")}
        tables[name] = {"columns": columns, "parents": parents}
    return tables


def reachable(tables: dict, start: str) -> set[str]:
    """The tables a row of `start` points to, directly or through its parents: the rows it
    is linked to one by one (many-to-one), as opposed to merely sharing a congress."""
    seen, todo = {start}, [start]
    while todo:
        for parent in tables[todo.pop()]["parents"]:
            if parent in tables and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def holds_serial(tables: dict, name: str) -> bool:
    return any("serial" in column for column in tables[name]["columns"])


def names_a_person(tables: dict, name: str) -> bool:
    return name == "person" or bool(PERSON_COLUMNS & set(tables[name]["columns"]))


def test_no_table_links_a_roster_person_to_a_serial(app):
    from app.db import get_db

    with app.app_context():
        tables = schema(get_db())
    assert {"person", "ballot_serial", "ballot", "audit_log"} <= set(tables)
    links = []
    for name in tables:
        linked = reachable(tables, name)
        if any(holds_serial(tables, other) for other in linked) and \
                any(names_a_person(tables, other) for other in linked):
            links.append(f"{name} → {sorted(linked)}")
    assert links == [], "tables linking a person to a serial: " + "; ".join(links)


def test_the_schema_check_would_see_a_link(app):
    """The check above is not blind: a table with a serial and a person_id is caught."""
    from app.db import get_db

    with app.app_context():
        db = get_db()
        db.execute("CREATE TEMP TABLE handed_out (serial TEXT REFERENCES ballot_serial(serial),"
                   " person_id INTEGER REFERENCES person(id))")
        tables = schema(db)
        tables["handed_out"] = {"columns": ["serial", "person_id"],
                                "parents": {"ballot_serial", "person"}}
    assert holds_serial(tables, "handed_out") and names_a_person(tables, "handed_out")
    linked = reachable(tables, "handed_out")
    assert "person" in linked and "ballot_serial" in linked


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    """The demo with the committee's round 1 open, ballots printed, one voided, and
    ballots recorded through the API: added, a duplicate, a conflict, by QR and by code.
    Shared by the read-only checks below: (app, serials)."""
    instance = tmp_path_factory.mktemp("r10-instance")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UNION_INSTANCE_DIR", str(instance))
        patch.delenv("UNION_DATABASE", raising=False)
        from app import create_app
        from app.demo import create_demo

        app = create_app({"TESTING": True, "LOGIN_RATE_LIMIT": "1000 per minute"})
    from app.ballots.issue import issue_serials, void_spare
    from app.ballots.serials import sign
    from app.congress.rounds import open_round
    from app.db import get_db

    with app.app_context():
        db = get_db()
        demo = create_demo(db)
        contest_id = demo["contest_ids"]["committee"]
        round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                              [contest_id]).fetchone()[0]
        open_round(db, round_id, "admin:admin")
        serials = issue_serials(db, round_id, 8, "admin:admin").serials
        void_spare(db, app.config["BALLOT_KEY"], round_id, typed_code=serials[-1], actor="admin:admin")
        refs = [row[0] for row in db.execute(
            "SELECT c.ref FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
            " WHERE rc.round_id = ? ORDER BY c.id", [round_id])]
    teller = app.test_client()
    sign_in(teller, "teller1")
    second = app.test_client()
    sign_in(second, "teller2")
    url = f"/api/rounds/{round_id}/ballots"
    statuses = []
    for number, serial in enumerate(serials[:5]):
        body = {"marks": {ref: ("yes" if (index + number) % 2 else "no")
                          for index, ref in enumerate(refs)}, "client_id": f"tablet-1-{number:04d}"}
        if number % 2:
            body["payload"] = sign(app.config["BALLOT_KEY"], contest_id, round_id, serial).text()
        else:
            body["serial"] = serial
        statuses.append(teller.post(url, json=body).json["status"])
    duplicate = {"serial": serials[0], "marks": {ref: ("yes" if index % 2 else "no")
                                                  for index, ref in enumerate(refs)},
                 "client_id": "tablet-2-0000"}
    statuses.append(second.post(url, json=duplicate).json["status"])
    conflict = {"code": serials[1].replace("-", "").lower(), "marks": {refs[0]: "abstain"},
                "client_id": "tablet-2-0001"}
    statuses.append(second.post(url, json=conflict).json["status"])
    assert statuses == ["added"] * 5 + ["duplicate", "conflict"]
    app.config["TEST_ROUND"] = {"round_id": round_id, "contest_id": contest_id, "refs": refs}
    return app, serials


def test_audit_rows_that_name_a_serial_never_name_a_person(counted):
    from app.db import get_db

    app, serials = counted
    with app.app_context():
        db = get_db()
        people = [dict(row) for row in db.execute("SELECT id, name, card_code FROM person")]
        rows = [dict(row) for row in db.execute("SELECT * FROM audit_log")]
    with_serial = [row for row in rows
                   if SERIAL_RE.search(row["subject"] + row["detail_json"])]
    assert len(with_serial) >= 1  # the void at least; recording may name serials too
    assert any(serial in json.dumps(with_serial) for serial in serials)
    naming = []
    for row in with_serial:
        text = row["actor"] + " " + row["subject"] + " " + row["detail_json"]
        detail = json.loads(row["detail_json"])
        for person in people:
            if person["name"] in text or person["card_code"] in text or \
                    f"person:{person['id']}" in text or "person_id" in detail:
                naming.append(f"audit {row['id']} {row['action']} names {person['name']}")
                break
    assert naming == []


def test_no_stored_row_holds_both_a_serial_and_a_voters_card(counted):
    """Row by row, every table: a value holding a printed serial never sits beside a
    roster card code or a person id column."""
    from app.db import get_db

    app, serials = counted
    with app.app_context():
        db = get_db()
        cards = {row[0] for row in db.execute("SELECT card_code FROM person")}
        tables = schema(db)
        offenders = []
        for name, info in tables.items():
            for row in db.execute(f"SELECT * FROM \"{name}\""):
                text = " ".join(str(value) for value in tuple(row))
                if any(serial in text for serial in serials) and (
                        any(card in text for card in cards) or PERSON_COLUMNS & set(info["columns"])):
                    offenders.append(name)
    assert offenders == []


def test_a_forged_altered_voided_or_replayed_qr_never_records(counted):
    """Through the API as a teller: every tampered QR is refused and a replay of a
    recorded one is a duplicate, so the round's ballots stay exactly as they were."""
    from app.ballots.serials import sign
    from app.db import get_db

    app, serials = counted
    ids = app.config["TEST_ROUND"]
    round_id, contest_id = ids["round_id"], ids["contest_id"]
    key = app.config["BALLOT_KEY"]
    unrecorded = serials[5]
    genuine = sign(key, contest_id, round_id, unrecorded).text()
    other_serial = ("0" if unrecorded[0] != "0" else "1") + unrecorded[1:]
    tampered = {
        "forged tag": sign("another-installation", contest_id, round_id, unrecorded).text(),
        "altered round": genuine.replace(f":R{round_id}:", f":R{round_id + 1}:"),
        "altered contest": genuine.replace(f"UB1:C{contest_id}:", f"UB1:C{contest_id + 1}:"),
        "altered serial": genuine.replace(unrecorded, other_serial),
        "voided ballot": sign(key, contest_id, round_id, serials[-1]).text(),
        "not a ballot": "https://example.com/?serial=" + unrecorded,
    }
    teller = app.test_client()
    sign_in(teller, "teller3")

    def ballots():
        with app.app_context():
            return [tuple(row) for row in get_db().execute(
                "SELECT serial, status, marks_json FROM ballot WHERE round_id = ? ORDER BY serial",
                [round_id])]

    before = ballots()
    accepted = []
    for number, (what, payload) in enumerate(tampered.items()):
        response = teller.post(f"/api/rounds/{round_id}/ballots",
                               json={"payload": payload, "marks": {}, "client_id": f"tamper-{number:04d}"})
        if response.status_code < 400:
            accepted.append(f"{what} → {response.status_code} {response.json}")
    assert accepted == []
    replay = teller.post(f"/api/rounds/{round_id}/ballots", json={
        "payload": sign(key, contest_id, round_id, serials[2]).text(), "client_id": "replay-0001",
        "marks": {ref: ("yes" if (index + 2) % 2 else "no") for index, ref in enumerate(ids["refs"])}})
    assert replay.json["status"] == "duplicate"
    assert ballots() == before and len(before) == 5


# --- logs ------------------------------------------------------------------------------

def test_gunicorn_access_log_format_has_no_query_string_referer_or_request_line():
    settings = runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))
    atoms = set(re.findall(r"%\((\w+|\{[^}]+\}\w)\)s", settings["access_log_format"]))
    assert "U" in atoms  # the path without its query string
    assert atoms.isdisjoint({"r", "q", "f"}), atoms  # request line, query, referer carry queries
    assert not any(atom.startswith("{") for atom in atoms)  # no headers or environ values


@pytest.fixture
def bare_server(tmp_path):
    """The production server on an empty database (no demo needed to read its log)."""
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path)
    # Migrate once before the workers start: two workers creating a fresh database at the
    # same moment can meet "database is locked" (switching it to WAL).
    server.run_flask("verify-audit")
    server.start()
    yield server
    server.stop()


def test_real_server_access_log_leaves_out_query_strings(bare_server):
    live_server = bare_server
    marker = "QSECRET" + uuid.uuid4().hex[:8]
    response = httpx.get(f"{live_server.url}/api/health", params={"serial": marker},
                         headers={"Referer": f"{live_server.url}/?card={marker}"})
    assert response.status_code == 200
    live_server.stop()  # flush and close the log
    log = live_server.log.read_text()
    assert '"GET /api/health" 200' in log
    assert marker not in log


def test_workers_starting_together_on_a_fresh_instance_share_one_secret(tmp_path):
    """gunicorn starts its workers at once; each loads the config. On a fresh instance
    they must all end up with the same, complete keys (or sessions break between them)."""
    start = __import__("time").time() + 1  # all of them load the config at this moment
    script = ("import json, sys, time, config\n"
              "while time.time() < float(sys.argv[1]): pass\n"
              "c = config.load_config()\n"
              "print(json.dumps([c['SECRET_KEY'], c['BALLOT_KEY']]))")
    env = {key: value for key, value in __import__("os").environ.items()
           if key not in ("UNION_SECRET_KEY", "UNION_BALLOT_KEY")}
    env["UNION_INSTANCE_DIR"] = str(tmp_path / "fresh")
    workers = [subprocess.Popen([__import__("sys").executable, "-c", script, str(start)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(8)]
    results = [worker.communicate(timeout=60) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 8, [err for _, err in results]
    keys = {tuple(json.loads(out)) for out, _ in results}
    assert len(keys) == 1
    [(secret_key, ballot_key)] = keys
    assert re.fullmatch(r"[0-9a-f]{64}", secret_key) and re.fullmatch(r"[0-9a-f]{64}", ballot_key)
    assert (tmp_path / "fresh" / "secret_key").read_text() == secret_key


def test_a_worker_that_loses_the_race_for_a_new_secret_uses_the_winners(tmp_path, monkeypatch):
    import os

    import config

    monkeypatch.delenv("UNION_SECRET_KEY", raising=False)
    monkeypatch.delenv("UNION_BALLOT_KEY", raising=False)
    monkeypatch.setenv("UNION_INSTANCE_DIR", str(tmp_path))
    winners = {"secret_key": "a" * 64, "ballot_key": "b" * 64}

    def another_worker_got_there_first(source, target):
        Path(target).write_text(winners[Path(target).name])
        raise FileExistsError(target)

    monkeypatch.setattr(os, "link", another_worker_got_there_first)
    loaded = config.load_config()
    assert (loaded["SECRET_KEY"], loaded["BALLOT_KEY"]) == ("a" * 64, "b" * 64)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ballot_key", "secret_key"]
