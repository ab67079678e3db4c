"""Export and recount (issue 6, item 5) and the ballot digest (item 6): the exported
`union-ballot-record/1` is exactly what was counted, and `recount` of it gives the
service's own result, for many random rounds; the digest does not depend on the order
of scanning or on duplicate scans."""

from __future__ import annotations

import json
import random

import pytest

from app.digest import ballots_digest, short_digest
from app.errors import AppError
from app.record import parse_record, recount
from app.results.export import export_record, live_result
from app.results.sealing import seal
from app.rules import Ballot, RuleSettings, WriteIn
from app.store import connect, migrate, write_transaction
from tests.test_results_support import SIGNATURES, make_round

KEY = "test-ballot-key"
SURNAMES = "王李张刘陈杨黄赵吴周"
MARKS = ("yes", "yes", "no", "abstain", "abstain", "unreadable")


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "union.sqlite3")
    migrate(database)
    yield database
    database.close()


def _random_round(db, rng: random.Random):
    """A round with random slate, settings and ballots: write-ins (some naming a printed
    candidate), declared-invalid sheets, unreadable marks and over-votes included."""
    count = rng.randint(2, 6)
    names = rng.sample([s + g for s in SURNAMES for g in "明红伟"], count)
    method = rng.choice(("differential", "equal"))
    seats = count if method == "equal" else rng.randint(1, count - 1)
    rules = RuleSettings(threshold_base=rng.choice(("entitled", "present", "returned_ballots",
                                                    "valid_ballots")),
                         tie_break=rng.choice(("revote", "fewest_no")),
                         unreadable=rng.choice(("void_ballot", "count_as_abstain")),
                         write_in_needs_yes_mark=rng.random() < 0.7)
    entitled = rng.randint(4, 16)
    present = rng.randint(entitled * 2 // 3, entitled)
    rnd = make_round(db, KEY, names=names, seats=seats, method=method, entitled=entitled,
                     present=present, rules=rules, serials=present + 3,
                     office=rng.choice(("committee", "chair")))
    ballots = rng.choice((0, rng.randint(present * 3 // 4, present)))
    with write_transaction(db):  # one durable commit for the whole round keeps the test fast
        for _ in range(ballots):
            # Most approvals go to the first seats + 1 names, so that rounds are decided too.
            approve = rng.sample(rnd.refs[:seats + 1], min(rng.randint(0, seats + 1), seats + 1,
                                                           len(rnd.refs)))
            marks = {ref: "unreadable" if rng.random() < 0.03 else rng.choice(("no", "abstain"))
                     for ref in rnd.refs if rng.random() < 0.8}
            marks.update(dict.fromkeys(approve, "yes"))
            write_ins = [{"name": rng.choice(names + ["赵六", "钱七"]), "mark": rng.choice(("yes", "none"))}
                         for _ in range(rng.choice((0, 0, 0, 1, 2)))]
            rnd.vote(marks, write_ins=write_ins, invalid=rng.random() < 0.05)
        if rng.random() < 0.3:  # a rescan of a counted ballot, same choices: counted once
            serial = rnd.recorded[0] if rnd.recorded else None
            if serial:
                row = db.execute("SELECT marks_json, write_ins_json, invalid FROM ballot WHERE serial = ?",
                                 [serial]).fetchone()
                if not row["invalid"]:
                    rnd.vote(json.loads(row["marks_json"]), write_ins=json.loads(row["write_ins_json"]),
                             serial=serial)
    returned = len(set(rnd.recorded)) + rng.choice((0, 0, 0, 1))
    rnd.enter_counts(max(returned - rng.choice((0, 0, 1)), 0), returned)
    return rnd


def test_recount_of_the_export_equals_the_live_result_for_many_random_rounds(db):
    rng = random.Random(20261125)
    outcomes = set()
    for _ in range(40):
        rnd = _random_round(db, rng)
        text = json.dumps(export_record(db, rnd.round_id), ensure_ascii=False)
        contest, ballots = parse_record(text)
        assert recount(contest, ballots) == live_result(db, rnd.round_id)
        assert len(ballots) == len(set(rnd.recorded))
        outcomes.add(live_result(db, rnd.round_id)["outcome"])
    assert {"decided", "incomplete"} <= outcomes and len(outcomes) >= 4, outcomes


def test_sealed_result_recounts_exactly_and_carries_the_export_digest(db):
    rng = random.Random(7)
    sealed = 0
    for _ in range(15):
        rnd = _random_round(db, rng)
        try:
            done = seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")
        except AppError as refused:  # an incomplete count cannot be sealed (tested elsewhere)
            assert refused.code == "round_not_ready"
            continue
        sealed += 1
        contest, ballots = parse_record(json.dumps(export_record(db, rnd.round_id)))
        assert recount(contest, ballots) == done["result"] == live_result(db, rnd.round_id)
        assert ballots_digest(ballots) == done["digest"]
    assert sealed >= 5


def test_export_and_recount_commands_agree(app, tmp_path):
    db = connect(app.config["DATABASE"])
    rnd = _random_round(db, random.Random(3))
    runner = app.test_cli_runner()
    out = tmp_path / "round.json"
    result = runner.invoke(args=["export", str(rnd.contest_id), "--round", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["format"] == "union-ballot-record/1"
    # R10: one ballot per counted serial, none named by its printed serial, in id order.
    ids = [b["id"] for b in record["ballots"]]
    assert len(ids) == len(set(ids)) == len(set(rnd.recorded)) and ids == sorted(ids)
    text = out.read_text(encoding="utf-8")
    assert not [serial for serial in set(rnd.recorded) if serial in text]
    recounted = runner.invoke(args=["recount", str(out)])
    assert recounted.exit_code == 0, recounted.output
    assert json.loads(recounted.stdout) == live_result(db, rnd.round_id)
    missing = runner.invoke(args=["export", str(rnd.contest_id), "--round", "9", "--out", str(out)])
    assert missing.exit_code == 2 and "没有第 9 轮" in missing.output
    db.close()


def test_export_through_the_api_is_the_same_record(app):
    from tests.conftest import sign_in
    from tests.test_results_support import add_users

    db = connect(app.config["DATABASE"])
    add_users(db)
    rnd = _random_round(db, random.Random(5))
    client = app.test_client()
    sign_in(client, "admin")
    by_contest = client.get(f"/api/results/contests/{rnd.contest_id}/rounds/1/export")
    by_round = client.get(f"/api/results/rounds/{rnd.round_id}/export")
    assert by_contest.status_code == by_round.status_code == 200
    # Each export names the ballots afresh (R10), so compare them without their ids.
    records = [by_contest.json, by_round.json, export_record(db, rnd.round_id)]
    assert records[0]["contest"] == records[1]["contest"] == records[2]["contest"]
    assert _contents(records[0]) == _contents(records[1]) == _contents(records[2])
    assert {b["id"] for b in records[0]["ballots"]}.isdisjoint(b["id"] for b in records[1]["ballots"])
    db.close()


def _contents(record: dict) -> list[str]:
    return sorted(json.dumps({k: v for k, v in b.items() if k != "id"}, sort_keys=True)
                  for b in record["ballots"])


def test_digest_is_the_same_for_any_scanning_order_and_duplicate_scans():
    rng = random.Random(11)
    ballots = [Ballot(f"B{i:05d}-XXXX", {"c1": rng.choice(MARKS), "c2": rng.choice(MARKS)},
                      (WriteIn("赵六"),) if i % 7 == 0 else (), i % 13 == 0) for i in range(60)]
    digest = ballots_digest(ballots)
    for _ in range(5):
        scanned = ballots + rng.sample(ballots, 10)  # some sheets scanned twice
        rng.shuffle(scanned)
        assert ballots_digest(scanned) == digest
    changed = list(ballots)
    other = {"c1": "no", "c2": "no"}
    changed[3] = Ballot(changed[3].id, other if changed[3].marks != other else {"c1": "yes"})
    assert ballots_digest(changed) != digest
    assert ballots_digest(ballots[:-1]) != digest
    assert len(short_digest(digest)) == 19 and short_digest(digest).replace("-", "") == digest[:16].upper()


def test_two_tablet_orders_of_the_same_box_seal_with_the_same_digest(tmp_path):
    rng = random.Random(99)
    papers = [{"c1": rng.choice(("yes", "no")), "c2": rng.choice(("yes", "abstain"))} for _ in range(10)]
    digests = []
    for order in (list(range(10)), [9, 3, 3, 0, 1, 8, 2, 7, 7, 6, 5, 4]):  # second: rescans
        db = connect(tmp_path / f"box{len(digests)}.sqlite3")
        migrate(db)
        rnd = make_round(db, KEY, names=["王红", "李明"], seats=1)
        # The same paper ballots: the serials are fixed per paper across both counts.
        db.execute("UPDATE ballot_serial SET serial = 'P' || substr('0000' || rowid, -4) || '-AAAAA',"
                   " code = 'P' || substr('0000' || rowid, -4) || '-AAAAA' WHERE round_id = ?",
                   [rnd.round_id])
        db.conn.commit()
        serials = [row[0] for row in db.execute("SELECT serial FROM ballot_serial ORDER BY serial")]
        for index in order:
            rnd.vote(papers[index], serial=serials[index])
        rnd.enter_counts(10, 10)
        digests.append(seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")["digest"])
        db.close()
    assert digests[0] == digests[1]
