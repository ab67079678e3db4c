"""Issuing ballots: serials, check_ballot's refusals, spare ballots, I and R (R2), and
printing all or nothing. A real SQLite file through the app's own connection."""

from __future__ import annotations

import pytest

from app.ballots import issue
from app.ballots.printing import print_ballots
from app.ballots.serials import new_serial, sign
from app.edge.errors import status_of
from app.errors import AppError
from app.i18n import t
from tests import test_ballots_support as support

ballot_template, ballot_hall = support.ballot_template, support.ballot_hall  # shared fixtures


@pytest.fixture
def hall(ballot_hall):
    """(db, {contest name: open round id}, ballot key) on a fresh copy of the demo."""
    return ballot_hall.db(), ballot_hall.rounds, ballot_hall.key


def refusal(call) -> AppError:
    with pytest.raises(AppError) as caught:
        call()
    return caught.value


def test_issued_serials_are_stored_sorted_not_in_print_order(hall):
    db, rounds, _ = hall
    batch = issue.issue_serials(db, rounds["committee"], 40, "test")
    stored = [row[0] for row in db.execute("SELECT serial FROM ballot_serial WHERE round_id = ?"
                                           " ORDER BY rowid", [rounds["committee"]])]
    assert sorted(batch.serials) == stored
    assert len(set(batch.serials)) == 40
    times = {row[0] for row in db.execute("SELECT created_at FROM ballot_serial WHERE round_id = ?",
                                          [rounds["committee"]])}
    assert len(times) == 1  # one timestamp per batch: time cannot order the sheets either
    again = issue.issue_serials(db, rounds["committee"], 3, "test")
    assert again.batch == batch.batch + 1


def test_a_round_that_is_not_open_gets_no_ballots(hall, ballot_hall):
    db, _, _ = hall
    draft = ballot_hall.draft_round
    error = refusal(lambda: issue.issue_serials(db, draft, 5, "test"))
    assert (status_of(error), error.code) == (409, "round_not_open")
    assert db.execute("SELECT count(*) FROM ballot_serial WHERE round_id = ?", [draft]).fetchone()[0] == 0


@pytest.mark.parametrize("count", [0, -1, issue.MAX_PER_BATCH + 1])
def test_a_batch_size_out_of_range_is_refused(hall, count):
    db, rounds, _ = hall
    error = refusal(lambda: issue.issue_serials(db, rounds["committee"], count, "test"))
    assert (status_of(error), error.code) == (422, "bad_count")


def test_a_good_ballot_is_accepted_by_payload_and_by_typed_code(hall):
    db, rounds, key = hall
    serial = issue.issue_serials(db, rounds["committee"], 2, "test").serials[0]
    contest_id = db.execute("SELECT contest_id FROM round WHERE id = ?", [rounds["committee"]]).fetchone()[0]
    payload = sign(key, contest_id, rounds["committee"], serial).text()
    assert issue.check_ballot(db, key, payload_text=payload, round_id=rounds["committee"]) == serial
    typed = serial.lower().replace("-", " ").replace("1", "l")
    assert issue.check_ballot(db, key, typed_code=typed, round_id=rounds["committee"]) == serial


def test_check_ballot_refuses_each_bad_ballot_with_its_own_code(hall):
    db, rounds, key = hall
    committee, audit_round = rounds["committee"], rounds["audit_committee"]
    contest = {name: db.execute("SELECT contest_id FROM round WHERE id = ?", [rid]).fetchone()[0]
               for name, rid in rounds.items()}
    good = issue.issue_serials(db, committee, 3, "test").serials
    other = issue.issue_serials(db, audit_round, 1, "test").serials[0]
    payload = sign(key, contest["committee"], committee, good[0]).text()

    def code_of(**kwargs) -> tuple[int, str]:
        error = refusal(lambda: issue.check_ballot(db, key, round_id=committee, **kwargs))
        return status_of(error), error.code

    assert code_of(payload_text="https://example.org/x") == (422, "not_ours")
    assert code_of(typed_code="12") == (422, "not_ours")
    # Forged: a tag made with another key. Altered: the serial changed under the real tag.
    forged = sign("not-the-key", contest["committee"], committee, good[0]).text()
    assert code_of(payload_text=forged) == (422, "bad_tag")
    altered = payload.replace(good[0], good[1])
    assert code_of(payload_text=altered) == (422, "bad_tag")
    moved = payload.replace(f":R{committee}:", f":R{audit_round}:")
    assert code_of(payload_text=moved) == (422, "bad_tag")
    # Genuine ballots of another contest, of another round of this contest.
    assert code_of(payload_text=sign(key, contest["audit_committee"], audit_round, other).text()) \
        == (409, "other_contest")
    assert code_of(typed_code=other) == (409, "other_contest")
    later_round = db.execute(
        "INSERT INTO round (contest_id, number, kind, method, seats, state) VALUES (?, 2, 'revote',"
        " 'differential', 1, 'draft')", [contest["committee"]]).lastrowid
    db.conn.commit()
    assert code_of(payload_text=sign(key, contest["committee"], later_round, new_serial()).text()) \
        == (409, "other_round")
    # Signed with the real key but never printed (a batch that was never stored).
    unprinted = new_serial()
    assert code_of(payload_text=sign(key, contest["committee"], committee, unprinted).text()) \
        == (409, "never_printed")
    assert code_of(typed_code=unprinted) == (409, "never_printed")
    issue.void_spare(db, key, committee, typed_code=good[2], actor="test")
    assert code_of(payload_text=sign(key, contest["committee"], committee, good[2]).text()) \
        == (409, "voided")
    assert code_of(typed_code=good[2]) == (409, "voided")
    assert code_of() == (400, "no_ballot_key")


@pytest.mark.parametrize("code", ["not_ours", "bad_tag", "other_contest", "other_round",
                                  "never_printed", "voided"])
def test_every_refusal_has_a_message_in_chinese_and_english(ballot_hall, code):
    app = ballot_hall.app
    with app.test_request_context("/?lang=en"):
        english = t(f"ballots.{code}", contest="主席", number=2, serial="ABCDE-FGHJK")
    with app.test_request_context("/"):
        chinese = t(f"ballots.{code}", contest="主席", number=2, serial="ABCDE-FGHJK")
    assert english != f"ballots.{code}" and chinese != english
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese)


def test_issued_follows_printed_minus_voided_until_entered_and_r2_is_live(hall):
    db, rounds, key = hall
    rid = rounds["committee"]
    serials = issue.issue_serials(db, rid, 10, "test").serials
    issue.void_spare(db, key, rid, typed_code=serials[0], actor="test")
    figures = issue.set_voided_by_count(db, rid, 2, "test")
    assert (figures["printed"], figures["voided"], figures["issued"]) == (10, 3, 7)
    assert db.execute("SELECT ballots_issued FROM round WHERE id = ?", [rid]).fetchone()[0] == 7
    assert figures["round_valid"] is None  # R not entered yet
    figures = issue.set_returned(db, rid, 7, "test")
    assert figures["round_valid"] is True  # R2: R ≤ I
    figures = issue.set_returned(db, rid, 8, "test")
    assert figures["round_valid"] is False
    assert db.execute("SELECT ballots_returned FROM round WHERE id = ?", [rid]).fetchone()[0] == 8
    figures = issue.set_issued(db, rid, 9, "test")
    assert (figures["issued"], figures["issued_entered"], figures["round_valid"]) == (9, True, True)
    issue.issue_serials(db, rid, 5, "test")  # an entered I stays as entered
    assert issue.accounting(db, rid)["issued"] == 9
    figures = issue.set_issued(db, rid, None, "test")
    assert (figures["issued"], figures["issued_entered"]) == (15 - 3, False)


def test_voiding_more_than_printed_or_a_counted_ballot_is_refused(hall):
    db, rounds, key = hall
    rid = rounds["committee"]
    serials = issue.issue_serials(db, rid, 3, "test").serials
    error = refusal(lambda: issue.set_voided_by_count(db, rid, 4, "test"))
    assert (status_of(error), error.code) == (422, "too_many_voided")
    assert issue.accounting(db, rid)["voided_by_count"] == 0  # nothing half-written
    db.execute("INSERT INTO ballot (serial, round_id, marks_json, recorded_at) VALUES (?, ?, '{}', 'x')",
               [serials[1], rid])
    db.conn.commit()
    error = refusal(lambda: issue.void_spare(db, key, rid, typed_code=serials[1], actor="test"))
    assert (status_of(error), error.code) == (409, "already_counted")
    assert db.execute("SELECT state FROM ballot_serial WHERE serial = ?", [serials[1]]).fetchone()[0] \
        == "printed"


def test_a_failed_print_leaves_no_serials_and_no_file(hall, tmp_path, monkeypatch):
    db, rounds, key = hall
    rid = rounds["committee"]
    folder = tmp_path / "out"
    out = folder / "ballots.pdf"

    def broken(_layout, _ballots, partial, **_kwargs):
        partial.write_bytes(b"%PDF-1.4 half")  # the disk fills up half-way
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.ballots.printing.render_ballots", broken)
    with pytest.raises(OSError):
        print_ballots(db, rid, 5, out, key=key, actor="test")
    assert db.execute("SELECT count(*) FROM ballot_serial").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM ballot_batch").fetchone()[0] == 0
    assert list(folder.iterdir()) == []


def test_a_round_sealed_while_printing_stores_nothing(hall, tmp_path, monkeypatch):
    db, rounds, key = hall
    rid = rounds["committee"]
    from app.ballots import printing

    real = printing.render_ballots

    def render_then_seal(*args, **kwargs):
        real(*args, **kwargs)
        db.execute("UPDATE round SET state = 'sealed' WHERE id = ?", [rid])
        db.conn.commit()

    monkeypatch.setattr("app.ballots.printing.render_ballots", render_then_seal)
    folder = tmp_path / "out"
    error = refusal(lambda: print_ballots(db, rid, 2, folder / "b.pdf", key=key, actor="test"))
    assert error.code == "round_sealed"
    assert db.execute("SELECT count(*) FROM ballot_serial").fetchone()[0] == 0
    assert list(folder.iterdir()) == []
