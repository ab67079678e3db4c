"""R1's four-fifths settings through the service: chosen on a contest, stored, shown in the
live quorum figure, written into the record and re-derived by recount."""

# ruff: noqa: F811  (pytest fixtures imported from test_setup_fixtures are parameters here)
from __future__ import annotations

import json

import pytest
from test_setup_fixtures import admin, app, db, demo, demo_template  # noqa: F401

from app.record import parse_record, recount
from app.rules import quorum_met


@pytest.mark.parametrize("rule", ["at_least_four_fifths", "more_than_four_fifths"])
def test_four_fifths_setting_is_stored_and_drives_the_live_quorum(admin, demo, db, rule):
    body = {"title": "主席", "office": "chair", "method": "equal", "seats": 1,
            "candidates": [{"name": "王强"}], "rules": {"quorum": rule}}
    response = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=body)
    assert response.status_code == 201, response.json
    assert response.json["rules"]["quorum"] == rule
    stored = db.execute("SELECT rules_json FROM contest WHERE id = ?", [response.json["id"]]).fetchone()
    assert json.loads(stored[0])["quorum"] == rule
    live = admin.get(f"/api/congresses/{demo['congress_id']}/quorum").json
    check = next(c for c in live["checks"] if c["rule"] == rule)
    entitled, present = live["entitled"], live["present"]
    assert check["met"] is quorum_met(entitled, present, rule)
    assert 5 * check["needed"] >= 4 * entitled and 5 * (check["needed"] - 1) <= 4 * entitled


def _record(rule: str, entitled: int, present: int) -> str:
    return json.dumps({
        "format": "union-ballot-record/1",
        "contest": {"title": "主席", "method": "equal", "seats": 1,
                    "candidates": [{"id": "c1", "name": "王强"}],
                    "entitled": entitled, "present": present, "ballots_issued": present,
                    "ballots_returned": present, "rules": {"quorum": rule}},
        "ballots": [{"id": f"b{i}", "marks": {"c1": "yes"}} for i in range(present)],
    })


@pytest.mark.parametrize("rule, present, outcome", [
    ("at_least_four_fifths", 16, "decided"), ("at_least_four_fifths", 15, "no_quorum"),
    ("more_than_four_fifths", 17, "decided"), ("more_than_four_fifths", 16, "no_quorum"),
])
def test_record_with_four_fifths_recounts_at_the_boundary(rule, present, outcome):
    contest, ballots = parse_record(_record(rule, 20, present))  # 4/5 of 20 = 16
    result = recount(contest, ballots)
    assert result["outcome"] == outcome
    assert result["rules"]["quorum"] == rule


def test_unknown_quorum_word_in_a_record_is_refused_naming_the_choices():
    with pytest.raises(Exception, match="contest.rules.quorum: .*more_than_four_fifths"):
        parse_record(_record("nine_tenths", 20, 20))
