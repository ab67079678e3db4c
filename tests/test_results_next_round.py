"""What follows a sealed round (issue 6, item 3): a re-vote among the tied (R5), another
election, reduced seats or vacant seats after a shortfall (R6, per the setting), and a
new round after a void round (R2) or a failed quorum (R1). New rounds start in draft with
their own slate; the old round's serials are refused there."""

from __future__ import annotations

import sqlite3

import pytest

from app.edge.errors import status_of
from app.errors import AppError
from app.results.next_round import create_next_round
from app.results.rounds import load_round
from app.results.sealing import seal
from app.rules import RuleSettings
from app.store import audit, connect, migrate
from tests.conftest import sign_in
from tests.test_results_support import SIGNATURES, add_users, make_round, open_next

KEY = "test-ballot-key"


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "union.sqlite3")
    migrate(database)
    yield database
    database.close()


def _seal(rnd, issued=None, returned=None):
    returned = len(rnd.recorded) if returned is None else returned
    rnd.enter_counts(returned if issued is None else issued, returned)
    return seal(rnd.db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")


def _slate(db, round_id):
    return sorted(row[0] for row in db.execute(
        "SELECT c.name FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ?", [round_id]))


def test_tie_at_the_cut_goes_to_a_revote_among_the_tied_for_the_remaining_seat(db):
    # E = P = 10, S = 2, threshold 6: 王红 8, 李明 6, 张伟 6 → 王红 elected, re-vote for one seat.
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    rnd.votes(4, {"c1": "yes", "c2": "yes"})
    rnd.votes(4, {"c1": "yes", "c3": "yes"})
    rnd.votes(2, {"c2": "yes", "c3": "yes"})
    sealed = _seal(rnd)
    assert sealed["result"]["outcome"] == "revote"
    nxt = create_next_round(db, rnd.round_id, "admin:admin")
    assert (nxt["kind"], nxt["seats"], nxt["method"], nxt["number"]) == ("revote", 1, "differential", 2)
    info = load_round(db, nxt["round_id"])
    assert info.state == "draft" and info.parent_round_id == rnd.round_id and info.kind == "revote"
    assert _slate(db, info.id) == sorted(["李明", "张伟"])
    # The re-vote is held: the higher yes wins the remaining seat.
    revote = open_next(db, KEY, info.id)
    revote.votes(6, {"c2": "yes", "c3": "no"})
    revote.votes(4, {"c3": "yes", "c2": "no"})
    result = _seal(revote)["result"]
    assert result["outcome"] == "decided"
    assert [p["name"] for p in result["elected"]] == ["李明"]


def test_tied_write_in_goes_on_the_revote_ballot(db):
    # S = 2: 王红 8, 李明 6 and the write-in 赵六 6 (threshold 6) → re-vote 李明 / 赵六 for one seat.
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    rnd.votes(4, {"c1": "yes", "c2": "yes"})
    for marks in [{"c1": "yes"}] * 4 + [{"c2": "yes"}] * 2:
        rnd.vote(marks, write_ins=[{"name": "赵 六", "mark": "yes"}])
    result = _seal(rnd)["result"]
    assert result["outcome"] == "revote"
    nxt = create_next_round(db, rnd.round_id, "admin:admin")
    assert _slate(db, nxt["round_id"]) == sorted(["李明", "赵六"])
    assert nxt["seats"] == 1


def _shortfall(db, setting: str, members: int = 100, seats: int = 5, qualified: int = 2):
    """S seats, S + 1 candidates, only the first `qualified` reach the threshold (6 of 10)."""
    names = ["王一", "李二", "张三", "刘四", "陈五", "杨六", "黄七", "周八"][:seats + 1]
    rnd = make_round(db, KEY, names=names, seats=seats, members=members,
                     rules=RuleSettings(shortfall=setting))
    marks_hi = {f"c{i}": "yes" for i in range(1, qualified + 1)}
    marks_lo = {f"c{i}": "yes" for i in range(qualified + 1, seats + 2)}
    rnd.votes(7, marks_hi)
    rnd.votes(3, {k: v for k, v in list(marks_lo.items())[:seats]})
    sealed = _seal(rnd)
    assert sealed["result"]["outcome"] == "shortfall"
    assert sealed["result"]["open_seats"] == seats - qualified
    return rnd


def test_shortfall_another_election_for_the_open_seats_stays_differential(db):
    rnd = _shortfall(db, "another_election")
    nxt = create_next_round(db, rnd.round_id, "chief_scrutineer:chief")
    assert nxt["kind"] == "another_election" and nxt["seats"] == 3
    assert nxt["method"] == "differential"
    # Drawn from those not elected: 张三, 刘四, 陈五, 杨六 (all four tie at 3 yes).
    assert _slate(db, nxt["round_id"]) == sorted(["张三", "刘四", "陈五", "杨六"])
    assert load_round(db, nxt["round_id"]).state == "draft"


def test_shortfall_reduce_seats_needs_a_recorded_motion(db):
    rnd = _shortfall(db, "reduce_seats", members=100, seats=5, qualified=3)
    with pytest.raises(AppError) as refused:
        create_next_round(db, rnd.round_id, "admin:admin")
    assert refused.value.code == "motion_required"
    done = create_next_round(db, rnd.round_id, "admin:admin", "大会表决通过：委员名额由5名减为3名")
    assert done["kind"] == "reduce_seats" and done["round_id"] is None and done["seats"] == 3
    motion = db.execute("SELECT * FROM contest_motion WHERE round_id = ?", [rnd.round_id]).fetchone()
    assert (motion["seats_before"], motion["seats_after"]) == (5, 3)
    assert "减为3名" in motion["text"]
    assert db.execute("SELECT count(*) FROM round WHERE contest_id = ?", [rnd.contest_id]).fetchone()[0] == 1


def test_shortfall_reduce_seats_refused_below_the_art8_band(db):
    # 300 members: the committee has 7 to 15 members (R8); 7 seats, 3 elected → 3 is too few.
    rnd = _shortfall(db, "reduce_seats", members=300, seats=7, qualified=3)
    with pytest.raises(AppError) as refused:
        create_next_round(db, rnd.round_id, "admin:admin", "减少名额")
    assert refused.value.code == "reduce_outside_band"
    assert refused.value.params == {"seats": 3, "low": 7, "high": 15}
    assert db.execute("SELECT count(*) FROM contest_motion").fetchone()[0] == 0


def test_shortfall_vacant_records_the_empty_seats(db):
    rnd = _shortfall(db, "vacant")
    done = create_next_round(db, rnd.round_id, "admin:admin")
    assert done["kind"] == "vacant" and done["open_seats"] == 3 and done["round_id"] is None
    assert db.execute("SELECT kind FROM contest_motion WHERE round_id = ?",
                      [rnd.round_id]).fetchone()[0] == "vacant"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the decision stands
        db.execute("UPDATE contest_motion SET kind = 'reduce_seats' WHERE round_id = ?", [rnd.round_id])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM contest_motion WHERE round_id = ?", [rnd.round_id])


def test_void_round_is_held_again_with_the_same_slate_and_seats(db):
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    rnd.votes(3, {"c1": "yes"})
    result = _seal(rnd, issued=10, returned=11)["result"]  # R > I: void (R2), no count needed
    assert result["outcome"] == "void"
    nxt = create_next_round(db, rnd.round_id, "admin:admin")
    assert (nxt["kind"], nxt["seats"], nxt["method"]) == ("repeat", 2, "differential")
    assert _slate(db, nxt["round_id"]) == sorted(["王红", "李明", "张伟"])


def test_no_quorum_round_is_held_again(db):
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2, entitled=12, present=7)
    result = seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")["result"]
    assert result["outcome"] == "no_quorum"
    nxt = create_next_round(db, rnd.round_id, "admin:admin")
    assert nxt["kind"] == "repeat" and nxt["number"] == 2


def test_old_serials_are_refused_in_the_new_round(db):
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    rnd.votes(3, {"c1": "yes"})
    _seal(rnd, issued=10, returned=11)
    new = open_next(db, KEY, create_next_round(db, rnd.round_id, "admin:admin")["round_id"])
    with pytest.raises(AppError):
        new.vote({"c1": "yes"}, serial=rnd.serials[rnd.used])  # printed for round 1, never used
    with pytest.raises(AppError):
        new.vote({"c1": "yes"}, serial=rnd.recorded[0])
    new.vote({"c1": "yes"})  # a ballot printed for the new round counts
    assert db.execute("SELECT count(*) FROM ballot WHERE round_id = ?", [new.round_id]).fetchone()[0] == 1


def test_a_settled_contest_has_no_next_round_and_no_round_follows_twice(db):
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    rnd.votes(10, {"c1": "yes", "c2": "yes"})
    _seal(rnd)
    with pytest.raises(AppError) as refused:
        create_next_round(db, rnd.round_id, "admin:admin")
    assert refused.value.code == "contest_settled"
    void = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    _seal(void, issued=0, returned=1)
    create_next_round(db, void.round_id, "admin:admin")
    with pytest.raises(AppError) as twice:
        create_next_round(db, void.round_id, "admin:admin")
    assert twice.value.code == "next_round_exists"


def test_an_open_round_has_no_next_round_yet(db):
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    with pytest.raises(AppError) as refused:
        create_next_round(db, rnd.round_id, "admin:admin")
    assert status_of(refused.value) == 409 and refused.value.code == "round_not_sealed"


def test_every_next_round_step_is_audited(db):
    rnd = make_round(db, KEY, names=["王红", "李明", "张伟"], seats=2)
    _seal(rnd, issued=0, returned=1)
    nxt = create_next_round(db, rnd.round_id, "admin:admin")
    entry = db.execute("SELECT actor, action, subject FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(entry) == ("admin:admin", "round.next", f"round:{nxt['round_id']}")
    assert audit.verify_chain(db).ok


@pytest.mark.parametrize("user,status", [("teller1", 403), ("scrutineer", 403), ("admin", 200),
                                         ("chief", 200)])
def test_next_round_through_the_api_is_for_admin_and_chief(app, user, status):
    db = connect(app.config["DATABASE"])
    add_users(db)
    rnd = make_round(db, app.config["BALLOT_KEY"], names=["王红", "李明", "张伟"], seats=2)
    _seal(rnd, issued=0, returned=1)
    client = app.test_client()
    sign_in(client, user)
    response = client.post(f"/api/results/rounds/{rnd.round_id}/next", json={})
    assert response.status_code == status, response.json
    if status == 200:
        assert response.json["kind"] == "repeat"
    db.close()
