"""The live board's data (issue 6, item 1): E, P, quorum, I, R, the count so far and each
person's approve / disapprove / abstain against the threshold in stroke order, from the
incremental tally; live counts for the hall only when the congress allows them; a clear
state when counting is complete; and the event stream that pushes each change."""

from __future__ import annotations

import json
import time

import pytest

from app.results.sealing import seal
from app.store import connect
from tests.conftest import sign_in
from tests.test_results_support import SIGNATURES, add_users, make_round


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    add_users(database)
    yield database
    database.close()


def _round(app, db, public=True):
    # R9 order: 王 (横) before 毛 (撇) before 方 (点); E = P = 10, S = 2, threshold 6.
    rnd = make_round(db, app.config["BALLOT_KEY"], names=["方圆", "毛泽", "王红"], seats=2,
                     live_board_public=public)
    rnd.votes(3, {"c1": "yes", "c3": "yes", "c2": "no"})
    rnd.vote({"c2": "yes"})
    return rnd


def _current(board):
    return board["contests"][-1]["rounds"][-1]


def test_board_shows_the_figures_and_the_tally_in_stroke_order(app, client, db):
    rnd = _round(app, db)
    board = client.get(f"/api/results/board?congress_id={rnd.congress_id}").json
    view = _current(board)
    assert (view["entitled"], view["present"], view["quorum_needed"], view["quorum_met"]) == (10, 10, 7, True)
    assert (view["recorded"], view["valid"], view["invalid"], view["threshold"]) == (4, 4, 0, 6)
    assert view["issued"] is None and view["returned"] is None
    assert [row["name"] for row in view["tally"]] == ["王红", "毛泽", "方圆"]
    assert [(row["yes"], row["no"], row["abstain"]) for row in view["tally"]] == [(3, 0, 1), (1, 3, 0),
                                                                                  (3, 0, 1)]
    assert view["outcome"] == "counting" and view["complete"] is False
    assert {row["status"] for row in view["tally"]} == {"counting"} and view["elected"] == []


def test_board_uses_the_incremental_tally_not_a_recount(app, client, db):
    rnd = _round(app, db)
    tally = json.loads(db.execute("SELECT tally_json FROM round_tally WHERE round_id = ?",
                                  [rnd.round_id]).fetchone()[0])
    tally["yes"]["c1"] = 9  # what the stored tally says is what the board shows
    db.execute("UPDATE round_tally SET tally_json = ?, version = version + 1 WHERE round_id = ?",
               [json.dumps(tally), rnd.round_id])
    db.conn.commit()
    view = _current(client.get(f"/api/results/board?congress_id={rnd.congress_id}").json)
    assert next(row for row in view["tally"] if row["ref"] == "c1")["yes"] == 9


def test_complete_count_shows_the_outcome_and_the_elected(app, client, db):
    rnd = _round(app, db)
    rnd.votes(6, {"c1": "yes", "c3": "yes"})
    rnd.enter_counts(10, 10)
    view = _current(client.get(f"/api/results/board?congress_id={rnd.congress_id}").json)
    assert view["complete"] is True and view["outcome"] == "decided"
    assert [p["name"] for p in view["elected"]] == ["王红", "方圆"]
    assert [row["status"] for row in view["tally"]] == ["elected", "not_elected", "elected"]


def test_open_conflict_keeps_the_board_counting(app, client, db):
    rnd = _round(app, db)
    rnd.votes(6, {"c1": "yes", "c3": "yes"})
    rnd.vote({"c1": "no"}, serial=rnd.recorded[0])
    rnd.enter_counts(10, 10)
    view = _current(client.get(f"/api/results/board?congress_id={rnd.congress_id}").json)
    assert view["complete"] is False and view["conflicts"] == 1 and view["outcome"] == "counting"


def test_without_live_counts_the_hall_waits_for_the_seal(app, client, db):
    rnd = _round(app, db, public=False)
    url = f"/api/results/board?congress_id={rnd.congress_id}"
    hall = _current(client.get(url).json)
    assert hall["counts_visible"] is False and "tally" not in hall and "valid" not in hall
    assert hall["recorded"] == 4  # progress only
    scrutineer = app.test_client()
    sign_in(scrutineer, "scrutineer")
    assert len(_current(scrutineer.get(url).json)["tally"]) == 3
    rnd.votes(6, {"c1": "yes", "c3": "yes"})
    rnd.enter_counts(10, 10)
    seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")
    sealed = _current(client.get(url).json)
    assert sealed["counts_visible"] is True and sealed["state"] == "sealed"
    assert [p["name"] for p in sealed["elected"]] == ["王红", "方圆"]
    assert sealed["digest_short"].count("-") == 3


def test_unknown_congress_is_a_clear_404(client, db):
    response = client.get("/api/results/board?congress_id=999")
    assert response.status_code == 404
    assert "999" not in response.json["error"]["message"] and "大会" in response.json["error"]["message"]


def _events(response):
    """Parse the event stream chunk by chunk: yields (event, data) pairs."""
    buffer = ""
    for chunk in response.response:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line
                          and not line.startswith(":"))
            if "event" in fields:
                yield fields["event"], json.loads(fields["data"])


def test_event_stream_pushes_a_new_snapshot_when_a_ballot_is_recorded(app, client, db):
    rnd = _round(app, db)
    response = client.get(f"/api/results/board/stream?congress_id={rnd.congress_id}", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    events = _events(response)
    kind, first = next(events)
    assert kind == "board" and _current(first)["recorded"] == 4
    rnd.vote({"c3": "yes"})
    # The next snapshot carries the new ballot (how fast is a benchmark's figure, not a test's).
    kind, second = next(events)
    assert kind == "board"
    assert _current(second)["recorded"] == 5 and second["version"] != first["version"]
    response.close()


def test_board_page_is_public_and_in_chinese(client, db, app):
    rnd = _round(app, db)
    page = client.get(f"/board?congress={rnd.congress_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "选举计票实况" in text and "board.js" in text


def test_an_open_board_stream_does_not_hold_up_a_server_restart(live_server):
    """gunicorn waits for requests in flight when it stops; the board's endless stream ends
    as soon as its worker is told to stop, so a restart is not held up by the hall."""
    import httpx

    congress = live_server.demo["congress_id"]
    with httpx.stream("GET", f"{live_server.url}/api/results/board/stream?congress_id={congress}",
                      timeout=30) as response:
        lines = response.iter_lines()
        assert any(line.startswith("event: board") for line in lines)
        started = time.monotonic()
        live_server.process.terminate()  # SIGTERM: a graceful stop
        live_server.process.wait(30)
        assert time.monotonic() - started < 5, "the stream held the worker until the grace period"


def test_beyond_the_stream_limit_a_board_gets_a_snapshot_and_polls(app, client, db):
    """Live streams hold a server thread each; past the limit (say, many delegates' phones)
    a board gets one snapshot and a slower retry, so the tellers' tablets keep their threads."""
    rnd = _round(app, db)
    app.config["BOARD_MAX_STREAMS"] = 1
    held = client.get(f"/api/results/board/stream?congress_id={rnd.congress_id}", buffered=False)
    kind, _first = next(_events(held))  # this one holds the only slot
    started = time.monotonic()
    extra = app.test_client().get(f"/api/results/board/stream?congress_id={rnd.congress_id}")
    body = extra.get_data(as_text=True)  # ends at once instead of streaming
    assert time.monotonic() - started < 2
    assert body.startswith("retry: 3000") and body.count("event: board") == 1
    held.close()  # the slot is free again: the next board streams live
    live = app.test_client().get(f"/api/results/board/stream?congress_id={rnd.congress_id}",
                                 buffered=False)
    first_chunk = next(iter(live.response))
    assert (first_chunk.decode() if isinstance(first_chunk, bytes) else first_chunk).startswith("retry: 1000")
    live.close()
