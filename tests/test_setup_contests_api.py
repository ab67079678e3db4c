"""Contests: office, method, seats, the slate in R9 stroke order, every RULES.md setting
with its default, officials who are never candidates (R12), editing only in draft, and
opening a round refused with the numbers when the slate breaks R7 (R8 only warns)."""

# ruff: noqa: F811  (pytest fixtures imported from test_setup_fixtures are parameters here)
from __future__ import annotations

import pytest
from test_setup_fixtures import admin, app, count, db, demo, demo_template, teller  # noqa: F401

from app.rules import RuleSettings


def contest_body(**changes):
    body = {"title": "第一届工会委员会委员", "office": "committee", "method": "differential",
            "seats": 3, "candidates": [{"name": "孔明"}, {"name": "王强"}, {"name": "方圆"},
                                      {"name": "毛毅"}]}
    body.update(changes)
    return body


@pytest.fixture
def contest(admin, demo):
    response = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=contest_body())
    assert response.status_code == 201, response.json
    return response.json


def test_new_contest_has_every_setting_at_its_default_and_round_1_in_draft(contest, db):
    assert contest["rules"] == RuleSettings().as_dict()
    assert contest["rules"]["quorum"] == "at_least_two_thirds"
    assert contest["rules"]["threshold_base"] == "entitled"
    assert [r["state"] for r in contest["rounds"]] == ["draft"] and contest["editable"] is True
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'contest.create' AND subject = ?",
                 f"contest:{contest['id']}") == 1


def test_candidates_are_listed_in_stroke_order(contest):
    # 王 (横) before 毛 (撇) before 方 (点) before 孔 (折): all four strokes (R9).
    assert [c["name"] for c in contest["candidates"]] == ["王强", "毛毅", "方圆", "孔明"]


def test_characters_without_stroke_data_are_reported(admin, demo):
    body = contest_body(method="equal", seats=2, candidates=[{"name": "王强"}, {"name": "李𠀀"}])
    response = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=body)
    assert response.json["unknown_characters"] == [{"char": "𠀀", "names": ["李𠀀"]}]


def test_settings_can_be_chosen_and_are_stored(admin, demo, db):
    rules = {"quorum": "more_than_half", "threshold_base": "present", "tie_break": "fewest_no",
             "shortfall": "vacant", "unreadable": "count_as_abstain",
             "write_in_needs_yes_mark": False, "differential_rate_percent": 10}
    response = admin.post(f"/api/congresses/{demo['congress_id']}/contests",
                          json=contest_body(rules=rules))
    assert response.status_code == 201
    assert response.json["rules"] == rules
    import json

    stored = db.execute("SELECT rules_json FROM contest WHERE id = ?", [response.json["id"]]).fetchone()
    assert json.loads(stored[0]) == rules


@pytest.mark.parametrize("changes, field", [
    # Each field named as the form calls it (an unknown one as it was sent).
    ({"office": "king"}, "职务"), ({"method": "lottery"}, "选举方式"), ({"seats": 0}, "应选名额"),
    ({"title": " "}, "选举事项名称"), ({"rules": {"quorum": "most"}}, "计票规则设置 · 法定人数"),
    ({"rules": {"differential_rate_percent": 101}}, "差额率下限"),
    ({"rules": {"secret": True}}, "secret"),
    ({"candidates": [{"name": ""}]}, "候选人 · 第 1 项 · 名称或姓名"),
    ({"candidates": [{"name": "王\u200b强"}]}, "名称或姓名"),
])
def test_bad_contest_is_422_naming_the_field_and_nothing_is_written(admin, demo, db, changes, field):
    before = count(db, "SELECT count(*) FROM contest"), count(db, "SELECT count(*) FROM candidate")
    response = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=contest_body(**changes))
    assert response.status_code == 422
    assert field in response.json["error"]["message"]
    assert (count(db, "SELECT count(*) FROM contest"), count(db, "SELECT count(*) FROM candidate")) == before


def test_two_candidates_of_one_name_need_different_notes(admin, demo, db):
    same = contest_body(method="equal", seats=2, candidates=[{"name": "王芳"}, {"name": "王　芳"}])
    response = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=same)
    assert response.status_code == 409
    assert "王芳" in response.json["error"]["message"] and "备注" in response.json["error"]["message"]
    assert count(db, "SELECT count(*) FROM candidate WHERE name = '王芳'") == 0
    told_apart = contest_body(method="equal", seats=2, candidates=[
        {"name": "王芳", "note": "一车间"}, {"name": "王芳", "note": "二车间"}])
    response = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=told_apart)
    assert response.status_code == 201
    assert [(c["name"], c["note"]) for c in response.json["candidates"]] == [
        ("王芳", "一车间"), ("王芳", "二车间")]


def test_contest_in_missing_congress_is_404(admin):
    response = admin.post("/api/congresses/999/contests", json=contest_body())
    assert response.status_code == 404


def roster_person(db, offset: int) -> dict:
    """A demo delegate who is neither a candidate nor an official of the demo contests."""
    row = db.execute("SELECT id, name, unit FROM person ORDER BY id LIMIT 1 OFFSET ?", [offset]).fetchone()
    return dict(row)


def test_officials_are_people_of_the_roster_and_never_candidates(admin, contest, db):
    url = f"/api/contests/{contest['id']}/officials"
    stranger = admin.post(url, json={"name": "不存在的人", "role": "teller"})
    assert stranger.status_code == 409
    assert stranger.json["error"]["message"] == (
        "名册中没有“不存在的人”：监票人、计票人须从本次大会的代表名册中选定。")
    standing, official = roster_person(db, 40), roster_person(db, 41)
    slate = [{"id": c["id"], "name": c["name"]} for c in contest["candidates"]]
    slate.append({"name": standing["name"]})
    assert admin.patch(f"/api/contests/{contest['id']}", json={"candidates": slate}).status_code == 200
    refused = admin.post(url, json={"person_id": standing["id"], "role": "teller"})
    assert refused.status_code == 409
    assert refused.json["error"]["message"] == (
        f"{standing['name']} 是本选举事项的候选人，不能担任监票人或计票人。")
    assert count(db, "SELECT count(*) FROM contest_official WHERE contest_id = ?", contest["id"]) == 0
    added = admin.post(url, json={"person_id": official["id"], "role": "scrutineer"})
    assert added.status_code == 201
    assert [(o["name"], o["role"], o["person_id"], o["unit"]) for o in added.json["officials"]] == [
        (official["name"], "scrutineer", official["id"], official["unit"])]
    assert admin.post(url, json={"person_id": official["id"], "role": "teller"}).status_code == 409
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'contest.official' AND subject = ?",
                 f"contest:{contest['id']}") == 1
    # R12 the other way round: the slate cannot take in a sitting official.
    current = admin.get(f"/api/contests/{contest['id']}").json["candidates"]
    slate = [{"id": c["id"], "name": c["name"]} for c in current] + [{"name": official["name"]}]
    response = admin.patch(f"/api/contests/{contest['id']}", json={"candidates": slate})
    assert response.status_code == 409 and official["name"] in response.json["error"]["message"]
    assert count(db, "SELECT count(*) FROM candidate WHERE contest_id = ?", contest["id"]) == 5


def test_an_official_by_name_must_be_the_only_person_of_that_name(admin, contest, db):
    url = f"/api/contests/{contest['id']}/officials"
    person = roster_person(db, 42)
    by_name = admin.post(url, json={"name": person["name"], "role": "teller"})
    assert by_name.status_code == 201 and by_name.json["officials"][0]["person_id"] == person["id"]
    other = db.execute("SELECT congress_id FROM person WHERE id = ?", [person["id"]]).fetchone()[0]
    db.execute("INSERT INTO person (congress_id, name, unit, card_code) VALUES (?, ?, '二车间', 'X-DUP-1')",
               [other, person["name"]])
    db.conn.commit()
    twice = admin.post(url, json={"name": person["name"], "role": "scrutineer"})
    assert twice.status_code == 409 and "二车间" in twice.json["error"]["message"]


def test_official_linked_to_an_account_must_have_that_role(admin, contest, demo, db):
    url = f"/api/contests/{contest['id']}/officials"
    person = roster_person(db, 43)
    wrong = admin.post(url, json={"person_id": person["id"], "role": "teller",
                                  "user_id": demo["user_ids"]["chief"]})
    assert wrong.status_code == 409
    missing = admin.post(url, json={"person_id": person["id"], "role": "teller", "user_id": 9999})
    assert missing.status_code == 404
    right = admin.post(url, json={"person_id": person["id"], "role": "teller",
                                  "user_id": demo["user_ids"]["teller1"]})
    assert right.status_code == 201
    official = right.json["officials"][0]
    removed = admin.delete(f"{url}/{official['id']}")
    assert removed.status_code == 200 and removed.json["officials"] == []
    assert admin.delete(f"{url}/{official['id']}").status_code == 404
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'contest.official_removed'") == 1


def test_edit_keeps_candidate_refs_adds_and_removes(admin, contest, db):
    keep = [c for c in contest["candidates"] if c["name"] != "孔明"]
    slate = [{"id": c["id"], "name": c["name"], "note": "x" if c["name"] == "王强" else ""}
             for c in keep] + [{"name": "于洋"}]
    response = admin.patch(f"/api/contests/{contest['id']}",
                           json={"candidates": slate, "seats": 2, "title": "改名"})
    assert response.status_code == 200, response.json
    by_name = {c["name"]: c for c in response.json["candidates"]}
    assert set(by_name) == {"王强", "毛毅", "方圆", "于洋"}
    assert by_name["王强"]["ref"] == next(c["ref"] for c in contest["candidates"] if c["name"] == "王强")
    assert by_name["王强"]["note"] == "x"
    assert by_name["于洋"]["ref"] == "c5"  # refs are never reused
    assert response.json["seats"] == 2 and response.json["rounds"][0]["seats"] == 2
    assert count(db, "SELECT count(*) FROM round_candidate WHERE round_id = ?",
                 contest["rounds"][0]["id"]) == 4


def test_unknown_candidate_id_in_edit_is_404_and_nothing_changes(admin, contest, db):
    slate = [{"id": 99999, "name": "谁"}]
    response = admin.patch(f"/api/contests/{contest['id']}", json={"candidates": slate, "seats": 1})
    assert response.status_code == 404
    assert count(db, "SELECT seats FROM contest WHERE id = ?", contest["id"]) == 3
    assert count(db, "SELECT count(*) FROM candidate WHERE contest_id = ?", contest["id"]) == 4


def test_opening_a_round_with_too_few_candidates_is_refused_with_the_numbers(admin, demo, db):
    body = contest_body(seats=7, candidates=[{"name": n} for n in "甲乙丙丁戊己庚"])
    created = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=body).json
    assert created["slate"]["ok"] is False and created["slate"]["min_candidates"] == 8
    round_id = created["rounds"][0]["id"]
    refused = admin.post(f"/api/rounds/{round_id}/open")
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["code"] == "slate_breaks_r7"
    for words in ("应选 7 名", "至少须 8 名", "现有 7 名"):
        assert words in error["message"]
    assert error["details"]["min_candidates"] == 8 and error["details"]["candidates"] == 7
    english = admin.post(f"/api/rounds/{round_id}/open?lang=en").json["error"]["message"]
    assert "needs at least 8 candidates; there are 7" in english
    assert count(db, "SELECT count(*) FROM round WHERE id = ? AND state = 'draft'", round_id) == 1
    # Fix the slate, then the round opens with E and P taken now.
    slate = [{"id": c["id"], "name": c["name"]} for c in created["candidates"]] + [{"name": "辛"}]
    assert admin.patch(f"/api/contests/{created['id']}", json={"candidates": slate}).status_code == 200
    opened = admin.post(f"/api/rounds/{round_id}/open")
    assert opened.status_code == 200, opened.json
    assert (opened.json["entitled"], opened.json["present"]) == (demo["entitled"], demo["present"])
    assert opened.json["quorum_met"] is True
    assert opened.json["size_warning"] is None  # 7 seats for 860 members is inside 7–15 (R8)
    assert opened.json["contest"]["editable"] is False
    actions = [row[0] for row in db.execute(
        "SELECT action FROM audit_log WHERE subject IN (?, ?) ORDER BY id",
        [f"contest:{created['id']}", f"round:{round_id}"])]
    assert actions == ["contest.create", "contest.update", "round.open"]


def test_equal_contest_needs_exactly_as_many_candidates_as_seats(admin, demo):
    body = contest_body(office="audit_committee", method="equal", seats=3,
                        candidates=[{"name": "甲"}, {"name": "乙"}])
    created = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=body).json
    refused = admin.post(f"/api/rounds/{created['rounds'][0]['id']}/open")
    assert refused.status_code == 409
    assert refused.json["error"]["message"].startswith("不能开始投票：等额选举的候选人数须等于应选名额")


def test_committee_size_outside_the_band_warns_but_opens(admin, demo):
    # 860 members → 7 to 15 committee members (条例 Art.8); 3 seats is outside: a warning.
    created = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=contest_body()).json
    assert "7 至 15" in created["size_warning"]
    opened = admin.post(f"/api/rounds/{created['rounds'][0]['id']}/open")
    assert opened.status_code == 200
    assert "7 至 15" in opened.json["size_warning"]


def test_contest_cannot_change_once_round_1_is_open(admin, contest, db):
    assert admin.post(f"/api/rounds/{contest['rounds'][0]['id']}/open").status_code == 200
    response = admin.patch(f"/api/contests/{contest['id']}", json={"seats": 2})
    assert response.status_code == 409 and "不能再修改" in response.json["error"]["message"]
    assert count(db, "SELECT seats FROM contest WHERE id = ?", contest["id"]) == 3
    again = admin.post(f"/api/rounds/{contest['rounds'][0]['id']}/open")
    assert again.status_code == 409 and again.json["error"]["code"] == "round_not_draft"
    assert admin.post("/api/rounds/99999/open").status_code == 404


def test_teller_cannot_open_a_round_or_change_a_contest(teller, contest, db):
    round_id = contest["rounds"][0]["id"]
    assert teller.post(f"/api/rounds/{round_id}/open").status_code == 403
    assert teller.patch(f"/api/contests/{contest['id']}", json={"seats": 2}).status_code == 403
    assert teller.post(f"/api/contests/{contest['id']}/officials",
                       json={"name": "x", "role": "teller"}).status_code == 403
    assert count(db, "SELECT count(*) FROM round WHERE id = ? AND state = 'draft'", round_id) == 1
    listed = teller.get(f"/api/congresses/{contest['congress_id']}/contests")
    assert listed.status_code == 200 and contest["id"] in [c["id"] for c in listed.json["contests"]]
