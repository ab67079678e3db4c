"""Officials are people (issue 11): an account records or decides only the contests it is
appointed to; once the secretariat links it to a roster person's duty, it may."""

from __future__ import annotations

import uuid

from conftest import sign_in
from test_counting_support import open_with_serials

from app.congress.officials import may_act_on_round
from app.congress.setup import create_user
from app.db import get_db


def test_an_account_counts_only_the_contests_it_is_appointed_to(app, client, demo):
    committee, chair = demo["contest_ids"]["committee"], demo["contest_ids"]["chair"]
    with app.app_context():
        db = get_db()
        opened = open_with_serials(db, committee, 3)
        newcomer = create_user(db, username="teller9", display_name="新计票人",
                               password="a-long-password", role="teller", actor="test")
        person = db.execute("SELECT id FROM person ORDER BY id LIMIT 1 OFFSET 50").fetchone()[0]
        assert not may_act_on_round(db, newcomer, "teller", opened.round_id)
        assert may_act_on_round(db, demo["user_ids"]["teller1"], "teller", opened.round_id)
        assert not may_act_on_round(db, demo["user_ids"]["admin"], "admin", opened.round_id)

    sign_in(client, "teller9", "a-long-password")
    ballot = {"client_id": str(uuid.uuid4()), "serial": opened.serials[0], "marks": {}}
    refused = client.post(f"/api/rounds/{opened.round_id}/ballots", json=ballot)
    assert refused.status_code == 403
    assert refused.json["error"]["message"] == (
        "您的账号未被指定为“第五届工会委员会委员”的计票人或监票人，不能计票或裁定。")
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM ballot").fetchone()[0] == 0

    admin = app.test_client()
    sign_in(admin, "admin")
    # Appointed to another contest: still refused here.
    assert admin.post(f"/api/contests/{chair}/officials",
                      json={"person_id": person, "role": "teller", "user_id": newcomer}).status_code == 201
    assert client.post(f"/api/rounds/{opened.round_id}/ballots", json=ballot).status_code == 403
    assert admin.post(f"/api/contests/{committee}/officials",
                      json={"person_id": person, "role": "teller", "user_id": newcomer}).status_code == 201
    added = client.post(f"/api/rounds/{opened.round_id}/ballots", json=ballot)
    assert added.status_code == 200 and added.json["status"] == "added"


def test_the_switcher_lists_every_body_plenaries_under_their_congress(app, demo):
    from app.congress import bodies
    from app.congress.setup import create_congress

    with app.app_context():
        db = get_db()
        other = create_congress(db, name="第二次大会", kind="founding", assembly="members", members=30,
                                actor="test")
        # A plenary (R13) is a body with a parent congress.
        plenary = create_congress(db, name="第一次全体会议", kind="renewal", assembly="delegates",
                                  members=860, actor="test")
        db.execute("UPDATE congress SET parent_id = ? WHERE id = ?", [demo["congress_id"], plenary])
        listed = [(body["name"], body["depth"]) for body in bodies.all_bodies(db)]
        assert listed == [("青石镇总工会第五次会员代表大会", 0), ("第一次全体会议", 1), ("第二次大会", 0)]
        assert bodies.choose(db, None, None) == plenary  # the newest body not archived
        assert bodies.set_archived(db, plenary, True, "test")
        assert bodies.choose(db, None, None) == other
        assert bodies.choose(db, None, plenary) == plenary  # remembered: still reachable
        assert bodies.choose(db, 999, None) == other  # a body that does not exist is never chosen
        assert [b["archived"] for b in bodies.all_bodies(db)] == [False, True, False]
