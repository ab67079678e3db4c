"""Closing and sealing a round (issue 6, item 2): counting must be complete (recorded = R,
no open conflicts), the outcome comes from the rules, the officials sign, and a sealed
round refuses every change — through the API and directly in SQL."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.digest import ballots_digest
from app.edge.errors import status_of
from app.errors import AppError
from app.record import recount
from app.results.export import export_record
from app.results.sealing import seal
from app.rules import decide
from app.store import audit, connect, migrate
from tests.conftest import sign_in
from tests.test_results_support import SIGNATURES, add_users, make_round


@pytest.fixture
def ctx(app):
    """A connection of the test's own (the app's requests keep theirs) and the ballot key."""
    db = connect(app.config["DATABASE"])
    add_users(db)
    yield db, app.config["BALLOT_KEY"]
    db.close()


@pytest.fixture
def signed_in(app, ctx):
    def make(username: str):
        new_client = app.test_client()
        sign_in(new_client, username)
        return new_client

    return make


def _decided(db, key):
    """S=2 of three; c1 8 yes, c2 7 yes, c3 2 yes; E = P = 10, threshold 6."""
    rnd = make_round(db, key, names=["王红", "李明", "张伟"], seats=2)
    rnd.votes(6, {"c1": "yes", "c2": "yes", "c3": "no"})
    rnd.votes(1, {"c1": "yes", "c2": "no", "c3": "yes"})
    rnd.votes(1, {"c1": "yes", "c2": "yes"})
    rnd.votes(1, {"c3": "yes", "c1": "no"})
    rnd.vote(invalid=True)
    return rnd


def test_round_cannot_be_sealed_before_r_is_entered(ctx, signed_in):
    db, key = ctx
    rnd = _decided(db, key)
    chief = signed_in("chief")
    closing = chief.get(f"/api/results/rounds/{rnd.round_id}/closing").json
    assert closing["ready"] is False
    assert any("收回选票数" in problem for problem in closing["problems"])
    response = chief.post(f"/api/results/rounds/{rnd.round_id}/seal", json={"signatures": SIGNATURES})
    assert response.status_code == 409, response.json
    assert response.json["error"]["code"] == "round_not_ready"


def test_round_cannot_be_sealed_while_ballots_are_uncounted(ctx, signed_in):
    db, key = ctx
    rnd = _decided(db, key)
    rnd.enter_counts(11, 11)
    chief = signed_in("chief")
    response = chief.post(f"/api/results/rounds/{rnd.round_id}/seal", json={"signatures": SIGNATURES})
    assert response.status_code == 409
    assert "已计 10 张，收回 11 张" in response.json["error"]["message"]
    rnd.vote({"c3": "yes"})
    # 11 issued to 10 present (I > P, issue 16): sealed only with a reason in words.
    response = chief.post(f"/api/results/rounds/{rnd.round_id}/seal",
                          json={"signatures": SIGNATURES,
                                "issued_over_present_reason": "一名代表弄污选票后补发一张"})
    assert response.status_code == 200, response.json
    assert response.json["result"]["outcome"] == "decided"


def test_open_conflict_blocks_sealing(ctx, signed_in):
    db, key = ctx
    rnd = _decided(db, key)
    first = rnd.recorded[0]
    rnd.vote({"c1": "no"}, serial=first)  # same serial, other marks: a conflict
    rnd.vote({"c1": "yes"})
    rnd.enter_counts(10, 10)
    closing = signed_in("chief").get(f"/api/results/rounds/{rnd.round_id}/closing").json
    assert closing["ready"] is False
    assert any("争议" in problem for problem in closing["problems"])


def test_sealed_result_is_the_rules_result_with_signatures_and_digest(ctx, signed_in):
    db, key = ctx
    rnd = _decided(db, key)
    rnd.enter_counts(10, 10)
    chief = signed_in("chief")
    closing = chief.get(f"/api/results/rounds/{rnd.round_id}/closing").json
    assert closing["ready"] is True
    response = chief.post(f"/api/results/rounds/{rnd.round_id}/seal", json={"signatures": SIGNATURES})
    assert response.status_code == 200, response.json
    body = response.json
    contest_ballots = export_record(db, rnd.round_id)
    from app.record import load_record

    contest, ballots = load_record(contest_ballots)
    assert body["result"] == recount(contest, ballots) == closing["result"]
    assert [p["name"] for p in body["result"]["elected"]] == ["王红", "李明"]
    assert body["result"]["threshold"] == 6
    assert body["digest"] == ballots_digest(ballots)
    row = db.execute("SELECT state, digest, result_json FROM round WHERE id = ?", [rnd.round_id]).fetchone()
    assert row["state"] == "sealed" and row["digest"] == body["digest"]
    assert json.loads(row["result_json"]) == body["result"]
    signed = [dict(r) for r in db.execute("SELECT name, role FROM signature WHERE round_id = ?",
                                          [rnd.round_id])]
    assert signed == SIGNATURES
    last = db.execute("SELECT action, subject, detail_json FROM audit_log"
                      " ORDER BY id DESC LIMIT 1").fetchone()
    assert last["action"] == "round.seal" and last["subject"] == f"round:{rnd.round_id}"
    assert json.loads(last["detail_json"])["digest"] == body["digest"]
    assert audit.verify_chain(db).ok


@pytest.mark.parametrize("user,status", [(None, 401), ("teller1", 403), ("scrutineer", 403),
                                         ("admin", 403)])
def test_only_the_chief_scrutineer_seals(ctx, client, signed_in, user, status):
    db, key = ctx
    rnd = _decided(db, key)
    rnd.enter_counts(10, 10)
    if user is None:
        client.environ_base["HTTP_X_CSRFTOKEN"] = client.get("/api/session").json["csrf_token"]
        who = client
    else:
        who = signed_in(user)
    response = who.post(f"/api/results/rounds/{rnd.round_id}/seal", json={"signatures": SIGNATURES})
    assert response.status_code == status
    assert db.execute("SELECT state FROM round WHERE id = ?", [rnd.round_id]).fetchone()[0] == "open"


@pytest.mark.parametrize("signatures,code", [
    ([{"name": "监票人乙", "role": "scrutineer"}], "signatures_needed"),
    ([{"name": "总监票人甲", "role": "chief_scrutineer"}, {"name": "路人丁", "role": "teller"}],
     "signer_not_official"),
    ([{"name": "总监票人甲", "role": "chief_scrutineer"},
      {"name": "总监票人甲", "role": "chief_scrutineer"}], "signer_twice"),
])
def test_signatures_must_be_the_contests_officials(ctx, signed_in, signatures, code):
    db, key = ctx
    rnd = _decided(db, key)
    rnd.enter_counts(10, 10)
    response = signed_in("chief").post(f"/api/results/rounds/{rnd.round_id}/seal",
                                       json={"signatures": signatures})
    assert response.status_code == 400
    assert response.json["error"]["code"] == code
    assert db.execute("SELECT count(*) FROM signature WHERE round_id = ?", [rnd.round_id]).fetchone()[0] == 0


def test_bad_signature_role_is_a_clear_422(ctx, signed_in):
    db, key = ctx
    rnd = _decided(db, key)
    response = signed_in("chief").post(f"/api/results/rounds/{rnd.round_id}/seal",
                                       json={"signatures": [{"name": "甲", "role": "mayor"}]})
    assert response.status_code == 422
    assert "职责或角色" in response.json["error"]["message"]  # the field, as people call it


@pytest.fixture
def sealed(ctx):
    db, key = ctx
    rnd = _decided(db, key)
    rnd.enter_counts(10, 10)
    seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")
    return rnd


def test_sealing_twice_is_refused_with_409(sealed, signed_in):
    response = signed_in("chief").post(f"/api/results/rounds/{sealed.round_id}/seal",
                                       json={"signatures": SIGNATURES})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "round_sealed"
    assert "已封存" in response.json["error"]["message"]


def test_recording_a_ballot_in_a_sealed_round_is_refused(sealed):
    spare = sealed.serials[sealed.used]
    with pytest.raises(AppError) as refused:
        sealed.vote({"c1": "yes"}, serial=spare)
    assert status_of(refused.value) == 409
    with pytest.raises(AppError):
        sealed.vote({"c1": "no"}, serial=sealed.recorded[0])  # a rescan of a counted one


def test_recording_through_the_tablet_api_is_refused(sealed, signed_in):
    teller = signed_in("teller1")
    spare = sealed.serials[sealed.used]
    response = teller.post(f"/api/rounds/{sealed.round_id}/ballots",
                           json={"serial": spare, "marks": {"c1": "yes"}, "client_id": "results-0001"})
    assert response.status_code == 409, response.json
    assert "封存" in response.json["error"]["message"]
    assert sealed.db.execute("SELECT count(*) FROM ballot WHERE serial = ?", [spare]).fetchone()[0] == 0


SQL_WRITES = {
    "insert ballot": "INSERT INTO ballot (serial, round_id, marks_json, recorded_at)"
                     " VALUES (:spare, :round, '{}', 'x')",
    "update ballot": "UPDATE ballot SET marks_json = '{}' WHERE serial = :counted",
    "move ballot out": "UPDATE ballot SET round_id = :other WHERE serial = :counted",
    "delete ballot": "DELETE FROM ballot WHERE serial = :counted",
    "insert submission": "INSERT INTO ballot_submission (serial, round_id, marks_json, submitted_at,"
                         " outcome) VALUES (:counted, :round, '{}', 'x', 'added')",
    "update submission": "UPDATE ballot_submission SET marks_json = '{}' WHERE round_id = :round",
    "delete submission": "DELETE FROM ballot_submission WHERE round_id = :round",
    "print serial": "INSERT INTO ballot_serial (serial, round_id, code, created_at)"
                    " VALUES ('ZZZZZ-ZZZZZ', :round, 'ZZZZZ-ZZZZZ', 'x')",
    "void serial": "UPDATE ballot_serial SET state = 'voided' WHERE serial = :spare",
    "delete serial": "DELETE FROM ballot_serial WHERE serial = :spare",
    "add to slate": "INSERT INTO round_candidate (round_id, candidate_id) VALUES (:round, 999999)",
    "drop from slate": "DELETE FROM round_candidate WHERE round_id = :round",
    "forge signature": "INSERT INTO signature (round_id, name, role, signed_at)"
                       " VALUES (:round, '某某', 'scrutineer', 'x')",
    "erase signature": "DELETE FROM signature WHERE round_id = :round",
    "alter signature": "UPDATE signature SET name = '某某' WHERE round_id = :round",
    "alter tally": "UPDATE round_tally SET version = version + 1 WHERE round_id = :round",
    "delete tally": "DELETE FROM round_tally WHERE round_id = :round",
    "change R": "UPDATE round SET ballots_returned = 9 WHERE id = :round",
    "unseal": "UPDATE round SET state = 'open' WHERE id = :round",
    "change result": "UPDATE round SET result_json = '{}' WHERE id = :round",
    "delete round": "DELETE FROM round WHERE id = :round",
    "rename candidate": "UPDATE candidate SET name = '别人' WHERE contest_id = :contest",
    "delete candidate": "DELETE FROM candidate WHERE contest_id = :contest",
    "change settings": "UPDATE contest SET rules_json = '{}' WHERE id = :contest",
    "change seats": "UPDATE contest SET seats = 1 WHERE id = :contest",
    "add print batch": "INSERT INTO ballot_batch (round_id, batch, printed, layout_sha256, created_at)"
                       " VALUES (:round, 99, 10, 'x', 'x')",
    "change spares": "INSERT INTO ballot_issuance (round_id, voided_by_count, updated_at)"
                     " VALUES (:round, 3, 'x') ON CONFLICT (round_id) DO UPDATE SET voided_by_count = 3",
}


@pytest.fixture(scope="module")
def sealed_file(tmp_path_factory):
    """One sealed round in a database file of its own, shared by the SQL refusals below
    (each refused statement leaves the file as it was)."""
    db = connect(tmp_path_factory.mktemp("sealed") / "union.sqlite3")
    migrate(db)
    rnd = _decided(db, "test-key")
    rnd.enter_counts(10, 10)
    seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")
    yield rnd
    db.close()


@pytest.mark.parametrize("what", sorted(SQL_WRITES))
def test_database_refuses_every_change_to_a_sealed_round(sealed_file, what):
    sealed = sealed_file
    db = sealed.db
    before = db.execute("SELECT count(*), max(digest) FROM ballot b JOIN round r ON r.id = b.round_id"
                        " WHERE r.id = ?", [sealed.round_id]).fetchone()
    params = {"round": sealed.round_id, "contest": sealed.contest_id, "counted": sealed.recorded[0],
              "spare": sealed.serials[sealed.used], "other": sealed.round_id + 1000}
    with pytest.raises(sqlite3.IntegrityError, match="round is sealed"):
        db.execute(SQL_WRITES[what], params)
    if db.conn.in_transaction:
        db.conn.rollback()
    after = db.execute("SELECT count(*), max(digest) FROM ballot b JOIN round r ON r.id = b.round_id"
                       " WHERE r.id = ?", [sealed.round_id]).fetchone()
    assert tuple(after) == tuple(before)
    assert db.execute("SELECT state FROM round WHERE id = ?", [sealed.round_id]).fetchone()[0] == "sealed"


def test_other_rounds_stay_writable_beside_a_sealed_one(sealed, ctx):
    db, key = ctx
    other = make_round(db, key, names=["甲一", "乙二"], seats=1)
    other.vote({"c1": "yes"})
    assert db.execute("SELECT count(*) FROM ballot WHERE round_id = ?", [other.round_id]).fetchone()[0] == 1


def test_live_tally_of_sealed_round_equals_the_sealed_result(sealed):
    from app.results.rounds import load_round
    from app.results.source import live_tally

    info = load_round(sealed.db, sealed.round_id)
    tally, _ = live_tally(sealed.db, sealed.round_id)
    assert decide(info.contest(), tally) == info.result


API_WRITES = [
    ("chief", "put", "/api/rounds/{round}/returned", {"returned": 9}),
    ("admin", "put", "/api/rounds/{round}/issued", {"issued": 9}),
    ("admin", "put", "/api/rounds/{round}/spares/count", {"voided_by_count": 1}),
    ("admin", "post", "/api/rounds/{round}/spares/void", {"code": "{spare}"}),
    ("admin", "post", "/api/rounds/{round}/print-jobs", {"count": 1}),
    ("admin", "post", "/api/rounds/{round}/open", {}),
    ("admin", "patch", "/api/contests/{contest}", {"title": "改过的标题"}),
    ("admin", "patch", "/api/contests/{contest}", {"seats": 1}),
    ("scrutineer", "post", "/api/rounds/{round}/ballots/{counted}/resolve",
     {"reason": "复核", "marks": {"c1": "no"}}),
    ("teller1", "post", "/api/rounds/{round}/ballots",
     {"code": "{spare}", "marks": {"c1": "yes"}, "client_id": "results-0002"}),
    ("chief", "post", "/api/results/rounds/{round}/seal", {"signatures": SIGNATURES}),
]


@pytest.mark.parametrize("user,method,path,body", API_WRITES,
                         ids=[f"{m} {p}" for _u, m, p, _b in API_WRITES])
def test_every_write_endpoint_refuses_a_sealed_round(sealed, signed_in, user, method, path, body):
    db = sealed.db
    values = {"round": sealed.round_id, "contest": sealed.contest_id, "counted": sealed.recorded[0],
              "spare": sealed.serials[sealed.used]}
    filled = json.loads(json.dumps(body).replace("{spare}", values["spare"]))
    client = signed_in(user)  # (signing in is audited; measure after it)
    before = [tuple(row) for row in db.execute("SELECT * FROM round WHERE id = ?", [sealed.round_id])]
    contest_before = tuple(db.execute("SELECT * FROM contest WHERE id = ?", [sealed.contest_id]).fetchone())
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    response = getattr(client, method)(path.format(**values), json=filled)
    assert response.status_code == 409, response.json
    message = response.json["error"]["message"]
    assert "封存" in message or "sealed" in message, message
    assert [tuple(row) for row in db.execute("SELECT * FROM round WHERE id = ?", [sealed.round_id])] == before
    assert tuple(db.execute("SELECT * FROM contest WHERE id = ?", [sealed.contest_id]).fetchone()) \
        == contest_before
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before


def test_a_write_path_that_forgets_to_check_still_gets_a_409_from_the_database(app, sealed):
    """Defence in depth: even code that never looked at the round's state is stopped by the
    triggers, and the answer is a clear 409, not a 500."""
    from app.db import get_db

    def careless_write():
        get_db().execute("UPDATE ballot SET marks_json = '{}' WHERE round_id = ?", [sealed.round_id])
        return {"ok": True}

    app.add_url_rule("/api/test-careless-write", "careless_write", careless_write, methods=["GET"])
    response = app.test_client().get("/api/test-careless-write")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "round_sealed"
    assert "已封存" in response.json["error"]["message"]
