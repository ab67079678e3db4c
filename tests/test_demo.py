"""`flask --app app demo`: a realistic demo congress, its ids as the last line of output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

from app.rules import check_slate
from app.store import audit, connect


def test_demo_command_creates_a_town_congress_and_prints_its_ids(tmp_path):
    env = {**os.environ, "UNION_INSTANCE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "demo"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    ids = json.loads(done.stdout.strip().splitlines()[-1])
    db = connect(tmp_path / "union.sqlite3")
    congress = db.execute("SELECT * FROM congress WHERE id = ?", [ids["congress_id"]]).fetchone()
    assert congress["kind"] == "renewal" and congress["assembly"] == "delegates"
    entitled = db.execute("SELECT count(*) FROM person WHERE entitled = 1").fetchone()[0]
    present = db.execute("SELECT count(*) FROM attendance").fetchone()[0]
    assert entitled == ids["entitled"] == 120
    assert present == ids["present"] and 3 * present >= 2 * entitled  # quorum (R1) is met
    methods = {}
    for office, contest_id in ids["contest_ids"].items():
        contest = db.execute("SELECT * FROM contest WHERE id = ?", [contest_id]).fetchone()
        candidates = db.execute("SELECT count(*) FROM candidate WHERE contest_id = ?",
                                [contest_id]).fetchone()[0]
        assert check_slate(contest["method"], contest["seats"], candidates).ok, office
        methods[office] = contest["method"]
    assert methods == {"committee": "differential", "audit_committee": "equal", "chair": "equal"}
    # Ready to count: round 1 of every contest is open, so printing works at once.
    states = {row[0]: row[1] for row in db.execute("SELECT contest_id, state FROM round WHERE number = 1")}
    assert states == {contest_id: "open" for contest_id in ids["contest_ids"].values()}
    assert sorted(ids["open_round_ids"]) == sorted(
        row[0] for row in db.execute("SELECT id FROM round WHERE state = 'open'"))
    # Officials are people of the roster, each linked to the account that acts for them.
    unlinked = db.execute("SELECT count(*) FROM contest_official WHERE person_id IS NULL"
                          " OR user_id IS NULL").fetchone()[0]
    assert unlinked == 0
    roles = {row[0] for row in db.execute("SELECT role FROM app_user")}
    assert roles == {"admin", "chief_scrutineer", "scrutineer", "teller"}
    assert audit.verify_chain(db).ok


def test_demo_with_plenary_holds_the_committee_election_and_starts_its_first_plenary(app):
    # R13 in the demo (`flask --app app demo --plenary`): the congress's ids stay as they were.
    from app.db import get_db
    from app.demo import add_demo_plenary, create_demo

    with app.app_context():
        db = get_db()
        ids = add_demo_plenary(db, create_demo(db), app.config["BALLOT_KEY"])
        assert ids["congress_id"] == 1
        assert ids["contest_ids"] == {"committee": 1, "audit_committee": 2, "chair": 3}
        result = json.loads(db.execute("SELECT result_json FROM round WHERE id = ?",
                                       [ids["committee_round_id"]]).fetchone()[0])
        assert result["outcome"] == "decided" and len(result["elected"]) == 9
        plenary = db.execute("SELECT * FROM congress WHERE id = ?", [ids["plenary_id"]]).fetchone()
        assert plenary["parent_id"] == ids["congress_id"] and plenary["body"] == "committee_plenary"
        roster = [row[0] for row in db.execute("SELECT name FROM person WHERE congress_id = ? ORDER BY id",
                                               [ids["plenary_id"]])]
        assert roster == [p["name"] for p in result["elected"]]
        present = db.execute("SELECT count(*) FROM attendance WHERE congress_id = ?",
                             [ids["plenary_id"]]).fetchone()[0]
        assert present == 8
        standing = ids["plenary_contest_ids"]["standing_committee"]
        officials = {row[0] for row in db.execute("SELECT name FROM contest_official WHERE contest_id = ?",
                                                  [standing])}
        assert officials and officials <= set(roster)
