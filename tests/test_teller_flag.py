"""A teller's flag on a ballot they confirmed wrong carries a short note for the scrutineers
(issue 12): optional, bounded, one line, and never naming a voter (R10). Bad notes get a
clean 4xx in the user's language and store nothing."""

from __future__ import annotations

import pytest
from test_counting_api import body, committee, post
from test_counting_support import counting_template, login, prepared

from app.db import get_db

__all__ = ["committee", "counting_template", "login", "prepared"]  # shared fixtures


@pytest.fixture
def signed_in(login):
    return login


def _names(app, round_id: int) -> tuple[str, str]:
    """A roster name that is no candidate of the round, and a candidate's name."""
    with app.app_context():
        db = get_db()
        candidates = {row[0] for row in db.execute(
            "SELECT c.name FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
            " WHERE rc.round_id = ?", [round_id])}
        voter = next(row[0] for row in db.execute("SELECT name FROM person ORDER BY id")
                     if row[0] not in candidates and len(row[0]) >= 2
                     and not any(row[0] in c for c in candidates))
    return voter, sorted(candidates)[0]


def _flags(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in get_db().execute("SELECT serial, note FROM teller_flag ORDER BY id")]


def test_flag_note_is_shown_to_the_scrutineers_and_bad_notes_are_refused(app, signed_in, committee):
    teller = signed_in("teller1")
    first, second, third = committee.serials[:3]
    for serial in (first, second, third):
        assert post(teller, committee.round_id, body(serial, {"c1": "yes"})).status_code == 200
    voter, candidate = _names(app, committee.round_id)
    url = f"/api/rounds/{committee.round_id}/ballots/{{}}/flag"

    # Too long: a clean 422 naming the bound, in Chinese (and English when asked), nothing kept.
    long = teller.post(url.format(first), json={"note": "读" * 201})
    assert long.status_code == 422, long.json
    assert "200" in str(long.json) and "长度" in str(long.json)
    long_en = teller.post(url.format(first) + "?lang=en", json={"note": "x" * 201})
    assert long_en.status_code == 422 and "200" in str(long_en.json)
    # A voter's name would tie the ballot to a person (R10): refused, saying why.
    named = teller.post(url.format(first), json={"note": f"这是{voter}的票"})
    assert (named.status_code, named.json["error"]["code"]) == (422, "flag_note_names_voter")
    assert "投票人" in named.json["error"]["message"] and voter in named.json["error"]["message"]
    # Not one line of text.
    broken = teller.post(url.format(first), json={"note": "第一行\n第二行"})
    assert (broken.status_code, broken.json["error"]["code"]) == (422, "flag_note_bad_text")
    assert teller.post(url.format(first), json={"note": 12}).status_code == 422
    assert _flags(app) == []

    # A candidate's name is what a note is for; the note is optional.
    note = f"{candidate} 应为不赞成"
    assert teller.post(url.format(first), json={"note": f"  {note} "}).status_code == 200
    assert teller.post(url.format(second), json={}).status_code == 200
    assert _flags(app) == [(first, note), (second, "")]
    listed = signed_in("scrutineer").get(f"/api/rounds/{committee.round_id}/flags").json["flags"]
    assert {(f["serial"], f["note"]) for f in listed} == {(first, note), (second, "")}
