"""Recording ballots through the API: each serial counts once, a disagreement is a
conflict for the scrutineers, and every refusal says why in the user's language."""

from __future__ import annotations

import io
import json
import sqlite3
import uuid

import pytest
from test_counting_support import counting_template, login, open_with_serials, prepared, print_serials

from app.counting import counted_ballots, live_tally, load_context
from app.db import get_db
from app.record import recount
from app.rules import count_ballots
from app.store import audit, write_transaction

__all__ = ["counting_template", "login", "prepared"]  # fixtures shared from the support module


@pytest.fixture
def committee(prepared):
    """The demo committee contest (9 seats, 10 candidates), round 1 open, 20 serials printed."""
    return prepared[1]


@pytest.fixture
def demo(prepared):
    return prepared[0]


@pytest.fixture
def signed_in(login):
    return login


def body(serial=None, marks=None, **extra):
    data = {"client_id": str(uuid.uuid4()), "marks": marks or {}, **extra}
    if serial is not None:
        data["serial"] = serial
    return data


def post(client, round_id, data, lang=""):
    return client.post(f"/api/rounds/{round_id}/ballots{lang}", json=data)


def assert_tally_is_recount(app, round_id):
    with app.app_context():
        db = get_db()
        ctx = load_context(db, round_id)
        live, _version = live_tally(db, round_id)
        assert live.as_dict() == count_ballots(ctx.contest, counted_ballots(db, round_id)).as_dict()
        return live


def test_first_reading_is_added_and_counted(app, signed_in, committee):
    teller = signed_in("teller1")
    response = post(teller, committee.round_id, body(committee.serials[0], {"c1": "yes", "c2": "no"}))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "added"
    assert response.json["serial"] == committee.serials[0]
    assert response.json["verdict"] == {"valid": True, "reason": None, "reason_text": "", "approvals": 1}
    assert response.json["my_count"] == 1
    tally = assert_tally_is_recount(app, committee.round_id)
    assert (tally.valid, tally.yes["c1"], tally.no["c2"]) == (1, 1, 1)


def test_same_serial_same_choices_is_a_duplicate_counted_once(app, signed_in, committee):
    serial = committee.serials[0]
    first = post(signed_in("teller1"), committee.round_id, body(serial, {"c1": "yes"}))
    assert first.json["status"] == "added"
    # A second teller scans the same sheet; abstain written out or left out is the same choice.
    again = post(signed_in("teller2"), committee.round_id, body(serial, {"c1": "yes", "c3": "abstain"}))
    assert again.json["status"] == "duplicate"
    assert again.json["my_count"] == 0  # the running count is ballots this teller recorded first
    tally = assert_tally_is_recount(app, committee.round_id)
    assert tally.valid == 1 and tally.yes["c1"] == 1


def test_different_choices_make_a_conflict_kept_out_of_the_tally(app, signed_in, committee):
    serial, other = committee.serials[:2]
    teller1, teller2 = signed_in("teller1"), signed_in("teller2")
    post(teller1, committee.round_id, body(other, {"c2": "yes"}))
    post(teller1, committee.round_id, body(serial, {"c1": "yes"}))
    response = post(teller2, committee.round_id, body(serial, {"c1": "no"}))
    assert response.json["status"] == "conflict"
    tally = assert_tally_is_recount(app, committee.round_id)
    assert tally.valid == 1 and tally.yes["c1"] == 0 and tally.no["c1"] == 0
    listed = signed_in("scrutineer").get(f"/api/rounds/{committee.round_id}/conflicts").json["ballots"]
    assert [b["serial"] for b in listed] == [serial]
    assert sorted(v["marks"]["c1"] for v in listed[0]["versions"]) == ["no", "yes"]
    # A third reading agreeing with one version does not settle it: scrutineers decide.
    assert post(teller1, committee.round_id, body(serial, {"c1": "yes"})).json["status"] == "conflict"
    progress = signed_in("scrutineer").get(f"/api/rounds/{committee.round_id}/progress").json
    assert (progress["recorded"], progress["counted"], progress["conflicts"]) == (2, 1, 1)


def test_scrutineer_resolves_a_conflict_by_choosing_a_version(app, signed_in, committee):
    serial = committee.serials[0]
    post(signed_in("teller1"), committee.round_id, body(serial, {"c1": "yes"}))
    post(signed_in("teller2"), committee.round_id, body(serial, {"c1": "no"}))
    scrutineer = signed_in("scrutineer")
    versions = scrutineer.get(f"/api/rounds/{committee.round_id}/conflicts").json["ballots"][0]["versions"]
    chosen = next(v for v in versions if v["marks"]["c1"] == "no")
    response = scrutineer.post(f"/api/rounds/{committee.round_id}/ballots/{serial}/resolve",
                               json={"submission_id": chosen["submission_id"], "reason": "核对原票为×"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "counted"
    assert response.json["current"]["marks"]["c1"] == "no"
    tally = assert_tally_is_recount(app, committee.round_id)
    assert tally.no["c1"] == 1 and tally.valid == 1
    assert scrutineer.get(f"/api/rounds/{committee.round_id}/conflicts").json["ballots"] == []
    with app.app_context():
        entry = get_db().execute("SELECT actor, detail_json FROM audit_log WHERE action = 'ballot.decide'"
                                 ).fetchone()
    assert entry["actor"] == "scrutineer:scrutineer"
    assert json.loads(entry["detail_json"])["reason"] == "核对原票为×"


def test_scrutineer_may_enter_the_correct_reading_instead(app, signed_in, committee):
    serial = committee.serials[0]
    post(signed_in("teller1"), committee.round_id, body(serial, {"c1": "yes"}))
    post(signed_in("teller2"), committee.round_id, body(serial, {"c1": "no"}))
    response = signed_in("chief").post(
        f"/api/rounds/{committee.round_id}/ballots/{serial}/resolve",
        json={"marks": {"c1": "unreadable"}, "reason": "涂改，无法辨认"})
    assert response.json["current"]["verdict"]["valid"] is False
    assert response.json["current"]["verdict"]["reason"] == "unreadable"
    tally = assert_tally_is_recount(app, committee.round_id)
    assert tally.invalid == 1 and tally.valid == 0


def test_a_decision_needs_a_reason_and_only_one_choice(signed_in, committee):
    serial = committee.serials[0]
    post(signed_in("teller1"), committee.round_id, body(serial, {"c1": "yes"}))
    scrutineer = signed_in("scrutineer")
    url = f"/api/rounds/{committee.round_id}/ballots/{serial}/resolve"
    assert scrutineer.post(url, json={"marks": {"c1": "no"}, "reason": "  "}).json["error"]["code"] == \
        "reason_required"
    both = scrutineer.post(url, json={"submission_id": 1, "marks": {"c1": "no"}, "reason": "x"})
    assert (both.status_code, both.json["error"]["code"]) == (422, "decision_needs_one")
    missing = scrutineer.post(url, json={"submission_id": 999999, "reason": "x"})
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "submission_not_found")
    teller = signed_in("teller1").post(url, json={"marks": {"c1": "no"}, "reason": "x"})
    assert teller.status_code == 403


def test_resend_with_the_same_client_id_is_the_same_submission(app, signed_in, committee):
    teller = signed_in("teller1")
    data = body(committee.serials[0], {"c1": "yes"})
    first, again = post(teller, committee.round_id, data), post(teller, committee.round_id, data)
    assert first.json["status"] == again.json["status"] == "added"
    assert again.json["my_count"] == 1
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM ballot_submission").fetchone()[0] == 1
    reused = post(teller, committee.round_id, {**data, "serial": committee.serials[1]})
    assert (reused.status_code, reused.json["error"]["code"]) == (409, "client_id_reused")


def test_over_vote_is_an_invalid_ballot_with_its_reason(app, signed_in, committee):
    marks = {ref: "yes" for ref in committee.refs}  # 10 approvals for 9 seats
    response = post(signed_in("teller1"), committee.round_id, body(committee.serials[0], marks))
    assert response.json["status"] == "added"
    assert response.json["verdict"]["valid"] is False
    assert response.json["verdict"]["reason"] == "overvote"
    assert response.json["verdict"]["reason_text"] == "所选人数多于应选名额"
    tally = assert_tally_is_recount(app, committee.round_id)
    assert tally.invalid == 1 and tally.yes["c1"] == 0


def test_declared_invalid_needs_a_reason_and_counts_as_invalid(app, signed_in, committee):
    teller = signed_in("teller1")
    refused = post(teller, committee.round_id, body(committee.serials[0], invalid=True))
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "invalid_reason_required")
    assert "理由" in refused.json["error"]["message"]
    response = post(teller, committee.round_id, body(committee.serials[0], invalid=True,
                                                     invalid_reason="选票撕破"))
    assert response.json["verdict"]["reason"] == "declared_invalid"
    assert response.json["verdict"]["reason_text"].startswith("计票人当场认定无效")


def test_preview_judges_without_recording(app, signed_in, committee):
    teller = signed_in("teller1")
    marks = {ref: "yes" for ref in committee.refs}
    response = teller.post(f"/api/rounds/{committee.round_id}/ballots/preview?lang=en",
                           json={"code": committee.serials[0].lower().replace("-", ""), "marks": marks})
    assert response.status_code == 200, response.json
    assert response.json == {"serial": committee.serials[0], "state": "new", "same_reading": None,
                             "verdict": {"valid": False, "reason": "overvote",
                                         "reason_text": "more approvals than seats", "approvals": 10}}
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM ballot").fetchone()[0] == 0
    post(teller, committee.round_id, body(committee.serials[0], {"c1": "yes"}))
    again = teller.post(f"/api/rounds/{committee.round_id}/ballots/preview",
                        json={"serial": committee.serials[0], "marks": {}})
    assert (again.json["state"], again.json["same_reading"]) == ("recorded", False)  # 与已计结果不同
    same = teller.post(f"/api/rounds/{committee.round_id}/ballots/preview",
                       json={"serial": committee.serials[0], "marks": {"c1": "yes", "c2": "abstain"}})
    assert (same.json["state"], same.json["same_reading"]) == ("recorded", True)  # 已计过


def test_running_count_is_ballots_recorded_first_and_flags_reach_the_scrutineers(app, signed_in, committee):
    one, two = signed_in("teller1"), signed_in("teller2")
    first, second = committee.serials[0], committee.serials[1]
    assert post(one, committee.round_id, body(first, {"c1": "yes"})).json["my_count"] == 1
    assert post(two, committee.round_id, body(first, {"c1": "yes"})).json["my_count"] == 0  # duplicate
    assert post(two, committee.round_id, body(first, {"c1": "no"})).json["my_count"] == 0  # conflict
    assert post(one, committee.round_id, body(first, {"c1": "yes"})).json["my_count"] == 1  # rescan
    assert post(two, committee.round_id, body(second, {})).json["my_count"] == 1
    # teller1 flags the ballot they counted; the reading is never overwritten by the flag.
    url = f"/api/rounds/{committee.round_id}/ballots/{first}/flag"
    flagged = one.post(url, json={"note": "第一名可能看错"})
    assert flagged.status_code == 200, flagged.json
    assert one.post(url, json={"note": "again"}).json["flag_id"] == flagged.json["flag_id"]
    refused = one.post(f"/api/rounds/{committee.round_id}/ballots/{second}/flag", json={})
    assert (refused.status_code, refused.json["error"]["code"]) == (404, "flag_not_yours")
    assert "不是您" in refused.json["error"]["message"]
    listed = signed_in("scrutineer").get(f"/api/rounds/{committee.round_id}/flags").json["flags"]
    assert [(f["serial"], f["note"], f["status"]) for f in listed] == [(first, "第一名可能看错", "conflict")]
    assert one.get(f"/api/rounds/{committee.round_id}/flags").status_code == 403


def test_ballot_named_by_scanned_qr_text_or_typed_code(app, signed_in, committee):
    teller = signed_in("teller1")
    payload = committee.payload(app.config["BALLOT_KEY"], committee.serials[0])
    by_qr = post(teller, committee.round_id, {**body(), "payload": payload, "marks": {"c1": "yes"}})
    assert (by_qr.json["status"], by_qr.json["serial"]) == ("added", committee.serials[0])
    typed = committee.serials[0].lower().replace("-", " ")
    by_code = post(teller, committee.round_id, {**body(), "code": typed, "marks": {"c1": "yes"}})
    assert by_code.json["status"] == "duplicate"


# Refusals: every one a 4xx with a message in the user's language, nothing recorded.

def _refused(app, response, status, code):
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM ballot_submission").fetchone()[0] == 0


def test_refuses_a_serial_of_another_contest(app, signed_in, demo, committee):
    with app.app_context():
        other = open_with_serials(get_db(), demo["contest_ids"]["audit_committee"], 1)
    response = post(signed_in("teller1"), committee.round_id, body(other.serials[0]))
    _refused(app, response, 409, "other_contest")


def test_refuses_a_serial_of_another_round_of_the_same_contest(app, signed_in, committee):
    with app.app_context():
        db = get_db()
        with write_transaction(db):
            round2 = db.execute("INSERT INTO round (contest_id, number, kind, method, seats, state)"
                                " VALUES (?, 2, 'revote', 'differential', 1, 'open')",
                                [committee.contest_id]).lastrowid
        serial = print_serials(db, round2, 1)[0]
    _refused(app, post(signed_in("teller1"), committee.round_id, body(serial)), 409, "other_round")


def test_refuses_a_serial_never_printed(app, signed_in, committee):
    response = post(signed_in("teller1"), committee.round_id, body("ZZZZZ-ZZZZZ"))
    _refused(app, response, 409, "never_printed")
    assert "ZZZZZ-ZZZZZ" in response.json["error"]["message"]


def test_refuses_a_voided_serial(app, signed_in, committee):
    with app.app_context():
        db = get_db()
        with write_transaction(db):
            db.execute("UPDATE ballot_serial SET state = 'voided' WHERE serial = ?", [committee.serials[0]])
    _refused(app, post(signed_in("teller1"), committee.round_id, body(committee.serials[0])), 409, "voided")


def test_refuses_a_forged_qr_code(app, signed_in, committee):
    forged = committee.payload("not-the-installation-key", committee.serials[0])
    response = post(signed_in("teller1"), committee.round_id, {**body(), "payload": forged})
    _refused(app, response, 422, "bad_tag")


def test_refuses_a_qr_code_that_is_not_a_ballot(app, signed_in, committee):
    response = post(signed_in("teller1"), committee.round_id, {**body(), "payload": "https://example.com"})
    _refused(app, response, 422, "not_ours")


def test_refuses_a_round_not_open(app, signed_in, demo, committee):
    with app.app_context():
        db = get_db()
        draft = db.execute("SELECT id FROM round WHERE contest_id = ?",
                           [demo["contest_ids"]["chair"]]).fetchone()[0]
    response = post(signed_in("teller1"), draft, body(committee.serials[0]), "?lang=en")
    _refused(app, response, 409, "round_not_open")
    assert "not open" in response.json["error"]["message"]


def test_refuses_a_sealed_round(app, signed_in, committee):
    with app.app_context():
        db = get_db()
        with write_transaction(db):
            db.execute("UPDATE round SET state = 'sealed' WHERE id = ?", [committee.round_id])
    response = post(signed_in("teller1"), committee.round_id, body(committee.serials[0]))
    _refused(app, response, 409, "round_sealed")
    assert "封存" in response.json["error"]["message"]


def test_refuses_an_unknown_round(app, signed_in, committee):
    _refused(app, post(signed_in("teller1"), 9999, body(committee.serials[0])), 404, "round_not_found")


def test_refuses_an_unknown_candidate(app, signed_in, committee):
    response = post(signed_in("teller1"), committee.round_id, body(committee.serials[0], {"c99": "yes"}))
    _refused(app, response, 422, "unknown_candidate")
    assert "c99" in response.json["error"]["message"]


def test_refuses_a_mark_that_is_not_a_mark(app, signed_in, committee):
    response = post(signed_in("teller1"), committee.round_id, body(committee.serials[0], {"c1": "maybe"}))
    _refused(app, response, 422, "bad_mark")
    bad_write_in = post(signed_in("teller1"), committee.round_id,
                        body(committee.serials[0], write_ins=[{"name": "赵六", "mark": "no"}]))
    _refused(app, bad_write_in, 422, "bad_write_in")


def test_refuses_a_ballot_without_serial_or_code(app, signed_in, committee):
    _refused(app, post(signed_in("teller1"), committee.round_id, body()), 422, "source_required")


def test_refuses_a_malformed_body(app, signed_in, committee):
    response = post(signed_in("teller1"), committee.round_id, {"serial": committee.serials[0]})
    _refused(app, response, 422, "invalid_input")
    assert "平板上的记录号" in response.json["error"]["message"]  # client_id, in people's words


def test_anonymous_gets_401_and_other_roles_403(app, client, signed_in, committee):
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get("/api/session").json["csrf_token"]
    _refused(app, post(client, committee.round_id, body(committee.serials[0])), 401, "login_required")
    _refused(app, post(signed_in("admin"), committee.round_id, body(committee.serials[0])), 403,
             "forbidden_role")


def test_a_write_without_the_csrf_token_is_refused(app, signed_in, committee):
    teller = signed_in("teller1")
    teller.environ_base.pop("HTTP_X_CSRFTOKEN")
    _refused(app, post(teller, committee.round_id, body(committee.serials[0])), 400, "csrf_failed")


def test_lookup_by_code_shows_every_version(app, signed_in, committee):
    serial = committee.serials[0]
    post(signed_in("teller1"), committee.round_id, body(serial, {"c1": "yes"},
                                                        write_ins=[{"name": "赵 六", "mark": "yes"}]))
    post(signed_in("teller2"), committee.round_id, body(serial, {"c1": "yes"},
                                                        write_ins=[{"name": "赵六", "mark": "yes"}]))
    scrutineer = signed_in("scrutineer")
    found = scrutineer.get(f"/api/ballots/{serial.lower().replace('-', '')}").json
    assert found["serial"] == serial and found["status"] == "counted"
    assert len(found["versions"]) == 1 and len(found["versions"][0]["submissions"]) == 2
    assert found["current"]["write_ins"] == [{"name": "赵 六", "mark": "yes"}]
    unrecorded = scrutineer.get(f"/api/ballots/{committee.serials[1]}").json
    assert unrecorded["status"] == "not_recorded"
    missing = scrutineer.get("/api/ballots/nothing-like-it")
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "ballot_unknown")
    assert signed_in("teller1").get(f"/api/ballots/{serial}").status_code == 403


def test_doubtful_lists_invalid_and_unreadable_ballots(signed_in, committee):
    teller = signed_in("teller1")
    post(teller, committee.round_id, body(committee.serials[0], {"c1": "yes"}))
    post(teller, committee.round_id, body(committee.serials[1], {"c1": "unreadable"}))
    post(teller, committee.round_id, body(committee.serials[2], invalid=True, invalid_reason="撕破"))
    listed = signed_in("scrutineer").get(f"/api/rounds/{committee.round_id}/doubtful").json["ballots"]
    assert sorted(b["serial"] for b in listed) == sorted(committee.serials[1:3])


def test_progress_counts_per_teller(signed_in, committee):
    teller1, teller2 = signed_in("teller1"), signed_in("teller2")
    for serial in committee.serials[:3]:
        post(teller1, committee.round_id, body(serial, {"c1": "yes"}))
    post(teller2, committee.round_id, body(committee.serials[0], {"c1": "yes"}))
    post(teller2, committee.round_id, body(committee.serials[3], {"c2": "yes"}))
    progress = signed_in("scrutineer").get(f"/api/rounds/{committee.round_id}/progress").json
    assert (progress["recorded"], progress["counted"], progress["valid"]) == (4, 4, 4)
    assert progress["printed"] == 20
    by_user = {t["username"]: t for t in progress["tellers"]}
    assert (by_user["teller1"]["ballots"], by_user["teller1"]["added"]) == (3, 3)
    assert (by_user["teller2"]["ballots"], by_user["teller2"]["added"], by_user["teller2"]["duplicates"]) \
        == (2, 1, 1)


def test_tally_version_grows_with_every_change_but_not_a_duplicate(app, signed_in, committee):
    teller = signed_in("teller1")
    versions = []
    for marks in ({"c1": "yes"}, {"c1": "yes"}, {"c1": "no"}):
        post(teller, committee.round_id, body(committee.serials[0], marks))
        with app.app_context():
            versions.append(live_tally(get_db(), committee.round_id)[1])
    assert versions == [1, 1, 2]


def test_audit_names_serial_and_teller_never_a_roster_person(app, signed_in, committee):
    post(signed_in("teller1"), committee.round_id, body(committee.serials[0], {"c1": "yes"}))
    with app.app_context():
        db = get_db()
        entry = db.execute("SELECT actor, subject, detail_json FROM audit_log"
                           " WHERE action = 'ballot.record'").fetchone()
        names = {row[0] for row in db.execute("SELECT name FROM person")}
        cards = {row[0] for row in db.execute("SELECT card_code FROM person")}
        assert audit.verify_chain(db).ok
    assert entry["actor"] == "teller:teller1"
    assert json.loads(entry["detail_json"])["serial"] == committee.serials[0]
    text = json.dumps(dict(entry), ensure_ascii=False)
    assert not any(name in text for name in names) and not any(card in text for card in cards)


def test_live_tally_equals_recount_after_mixed_work(app, signed_in, committee):
    teller1, teller2 = signed_in("teller1"), signed_in("teller2")
    readings = [{"c1": "yes", "c2": "no"}, {"c3": "yes"}, {ref: "yes" for ref in committee.refs},
                {"c4": "unreadable"}, {}]
    for index, serial in enumerate(committee.serials[:10]):
        write_ins = [{"name": "赵六", "mark": "yes"}] if index == 1 else []
        post(teller1, committee.round_id, body(serial, readings[index % 5], write_ins=write_ins))
        post(teller2, committee.round_id, body(serial, readings[(index + index % 2) % 5]))
    assert_tally_is_recount(app, committee.round_id)
    with app.app_context():
        db = get_db()
        ctx = load_context(db, committee.round_id)
        result = recount(ctx.contest, counted_ballots(db, committee.round_id))
        conflicts = db.execute("SELECT count(*) FROM ballot WHERE status = 'conflict'").fetchone()[0]
    assert result["ballots"]["recorded"] == 10 - conflicts
    assert conflicts == 5


def test_each_counting_role_starts_on_its_page_in_chinese_or_english(client, signed_in):
    assert signed_in("teller1").get("/").headers["Location"].endswith("/teller")
    assert signed_in("scrutineer").get("/").headers["Location"].endswith("/scrutineer")
    assert signed_in("chief").get("/").headers["Location"].endswith("/scrutineer")
    teller = signed_in("teller1")
    page = teller.get("/teller").get_data(as_text=True)
    assert "扫描二维码" in page and 'capture="environment"' in page
    assert "Scan the QR code" in teller.get("/teller?lang=en").get_data(as_text=True)
    assert "按编号查询选票" in signed_in("chief").get("/scrutineer").get_data(as_text=True)


def test_counting_pages_refuse_other_roles_and_send_strangers_to_sign_in(client, signed_in):
    assert client.get("/teller").headers["Location"].endswith("/login")
    assert client.get("/scrutineer").headers["Location"].endswith("/login")
    admin = signed_in("admin")
    assert admin.get("/teller").status_code == 403
    refused = signed_in("teller1").get("/scrutineer")
    assert refused.status_code == 403 and "监票人" in refused.get_data(as_text=True)


def test_after_a_decision_a_new_reading_is_compared_with_the_decided_version(app, signed_in, committee):
    serial = committee.serials[0]
    post(signed_in("teller1"), committee.round_id, body(serial, {"c1": "yes"}))
    post(signed_in("teller2"), committee.round_id, body(serial, {"c1": "no"}))
    scrutineer = signed_in("scrutineer")
    url = f"/api/rounds/{committee.round_id}/ballots/{serial}/resolve"
    assert scrutineer.post(url, json={"marks": {"c1": "no"}, "reason": "核对原票"}).status_code == 200
    assert post(signed_in("teller3"), committee.round_id, body(serial, {"c1": "no"})).json["status"] == \
        "duplicate"
    assert post(signed_in("teller3"), committee.round_id, body(serial, {"c1": "yes"})).json["status"] == \
        "conflict"
    assert_tally_is_recount(app, committee.round_id)


def test_no_decision_on_a_sealed_round(app, signed_in, committee):
    serial = committee.serials[0]
    post(signed_in("teller1"), committee.round_id, body(serial, {"c1": "yes"}))
    with app.app_context():
        db = get_db()
        with write_transaction(db):
            db.execute("UPDATE round SET state = 'sealed' WHERE id = ?", [committee.round_id])
    response = signed_in("scrutineer").post(f"/api/rounds/{committee.round_id}/ballots/{serial}/resolve",
                                            json={"marks": {"c1": "no"}, "reason": "x"})
    assert (response.status_code, response.json["error"]["code"]) == (409, "round_sealed")
    preview = signed_in("teller1").post(f"/api/rounds/{committee.round_id}/ballots/preview", json={})
    assert (preview.status_code, preview.json["error"]["code"]) == (409, "round_sealed")


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200  # the start of a JPEG is what is checked


def upload(client, round_id, serial, client_id, data=JPEG):
    return client.post(f"/api/rounds/{round_id}/ballots/{serial}/photo?client_id={client_id}",
                       data={"photo": (io.BytesIO(data), "ballot.jpg")}, content_type="multipart/form-data")


def test_the_photo_of_a_recorded_ballot_is_kept_for_the_scrutineers(app, signed_in, committee):
    serial = committee.serials[0]
    teller = signed_in("teller1")
    not_yet = upload(teller, committee.round_id, serial, "a1b2c3d4-0001")
    assert (not_yet.status_code, not_yet.json["error"]["code"]) == (404, "ballot_not_recorded")
    post(teller, committee.round_id, body(serial, {"c1": "yes"}))
    first = upload(teller, committee.round_id, serial, "a1b2c3d4-0001")
    again = upload(teller, committee.round_id, serial, "a1b2c3d4-0001")  # a resend changes nothing
    assert first.status_code == 200 and again.json == first.json
    not_image = upload(teller, committee.round_id, serial, "a1b2c3d4-0002", b"GIF89a....")
    assert (not_image.status_code, not_image.json["error"]["code"]) == (415, "photo_not_an_image")
    scrutineer = signed_in("scrutineer")
    view = scrutineer.get(f"/api/ballots/{serial}").json
    assert view["photos"] == [first.json["photo_id"]]
    image = scrutineer.get(f"/api/ballot-photos/{first.json['photo_id']}")
    assert (image.status_code, image.mimetype, image.data) == (200, "image/jpeg", JPEG)
    assert teller.get(f"/api/ballot-photos/{first.json['photo_id']}").status_code == 403
    assert scrutineer.get("/api/ballot-photos/999").json["error"]["code"] == "photo_not_found"
    with app.app_context():
        db = get_db()
        with pytest.raises(sqlite3.IntegrityError, match="kept as taken"):
            db.execute("UPDATE ballot_photo SET image = x'00'")


def test_photos_per_ballot_are_bounded(app, signed_in, committee):
    from app.counting.photos import MAX_PHOTOS_PER_BALLOT

    serial = committee.serials[0]
    teller = signed_in("teller1")
    post(teller, committee.round_id, body(serial, {"c1": "yes"}))
    for number in range(MAX_PHOTOS_PER_BALLOT):
        assert upload(teller, committee.round_id, serial, f"a1b2c3d4-{number:04d}").status_code == 200
    refused = upload(teller, committee.round_id, serial, "a1b2c3d4-9999")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "too_many_photos")
    assert "照片" in refused.json["error"]["message"]
    again = upload(teller, committee.round_id, serial, "a1b2c3d4-0000")  # a resend still answers
    assert again.status_code == 200
