"""The congress API: create, update, read; attendance check-in (name or card), undo,
and the live quorum figure (R1). Bad input is a clear 4xx and writes nothing."""

# ruff: noqa: F811  (pytest fixtures imported from test_setup_fixtures are parameters here)
from __future__ import annotations

import io

import pytest
from test_setup_fixtures import admin, app, count, db, demo, demo_template  # noqa: F401

from app.rules import quorum_needed


def test_admin_creates_a_founding_members_assembly_and_it_is_audited(admin, db):
    before = count(db, "SELECT count(*) FROM audit_log")
    response = admin.post("/api/congresses", json={
        "name": "某公司工会会员大会", "kind": "founding", "assembly": "members", "members": 80,
        "live_board_public": False})
    assert response.status_code == 201, response.json
    assert response.json["kind"] == "founding" and response.json["live_board_public"] is False
    row = db.execute("SELECT name, members, live_board_public FROM congress WHERE id = ?",
                     [response.json["id"]]).fetchone()
    assert tuple(row) == ("某公司工会会员大会", 80, 0)
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'congress.create'"
                     " AND subject = ?", f"congress:{response.json['id']}") == 1
    assert count(db, "SELECT count(*) FROM audit_log") == before + 1


@pytest.mark.parametrize("body, field", [
    ({"name": "", "kind": "renewal", "assembly": "delegates", "members": 10}, "名称"),
    ({"name": "x", "kind": "merger", "assembly": "delegates", "members": 10}, "选举类型"),
    ({"name": "x", "kind": "renewal", "assembly": "party", "members": 10}, "会议形式"),
    ({"name": "x", "kind": "renewal", "assembly": "delegates", "members": 0}, "会员人数"),
    ({"name": "x\u0007", "kind": "renewal", "assembly": "delegates", "members": 5}, "名称"),
    ({"name": "x", "kind": "renewal", "assembly": "delegates", "members": 5, "extra": 1}, "extra"),
])
def test_bad_congress_is_422_naming_the_field_and_nothing_is_written(admin, db, body, field):
    before = count(db, "SELECT count(*) FROM congress")
    response = admin.post("/api/congresses", json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["message"]
    assert response.json["error"]["message"].startswith("输入有误")
    assert count(db, "SELECT count(*) FROM congress") == before


def test_update_changes_members_and_board_visibility(admin, demo, db):
    cid = demo["congress_id"]
    response = admin.patch(f"/api/congresses/{cid}", json={"members": 1200, "live_board_public": False})
    assert response.status_code == 200
    assert tuple(db.execute("SELECT members, live_board_public FROM congress WHERE id = ?",
                            [cid]).fetchone()) == (1200, 0)
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'congress.update'") == 1


def test_update_of_missing_congress_is_404_in_chinese_and_english(admin):
    response = admin.patch("/api/congresses/999", json={"members": 3})
    assert response.status_code == 404
    assert "999" not in response.json["error"]["message"] and "大会" in response.json["error"]["message"]
    assert admin.patch("/api/congresses/999?lang=en", json={"members": 3}).json["error"][
        "message"] == "That congress does not exist; reload the page or choose another congress."


def test_reads_are_for_any_signed_in_user_writes_for_admin_only(signed_in, client, demo, db):
    teller = signed_in("teller1")
    cid = demo["congress_id"]
    assert teller.get(f"/api/congresses/{cid}").status_code == 200
    assert teller.get(f"/api/congresses/{cid}/quorum").status_code == 200
    people = teller.get(f"/api/congresses/{cid}/people").json["people"]
    assert people and all("card_code" not in person for person in people)
    assert client.get(f"/api/congresses/{cid}").status_code == 401
    refused = teller.patch(f"/api/congresses/{cid}", json={"members": 5})
    assert refused.status_code == 403 and "计票人" in refused.json["error"]["message"]
    assert teller.post(f"/api/congresses/{cid}/attendance", json={"person_id": 1}).status_code == 403
    assert teller.post("/api/congresses", json={"name": "x", "kind": "renewal",
                                                "assembly": "members", "members": 5}).status_code == 403
    assert count(db, "SELECT members FROM congress WHERE id = ?", cid) == 860


def test_quorum_figure_is_e_p_and_r1_from_the_rules_engine(admin, demo):
    figure = admin.get(f"/api/congresses/{demo['congress_id']}/quorum").json
    assert figure["entitled"] == demo["entitled"] == 120
    assert figure["present"] == demo["present"]
    assert figure["roster"] == 126  # six 保留会籍 members are on the roster but not in E
    check = figure["checks"][0]
    assert check == {"rule": "at_least_two_thirds", "needed": quorum_needed(120), "met": True}
    assert check["needed"] == 80


def _absent(admin, cid):
    people = admin.get(f"/api/congresses/{cid}/people?limit=2000").json["people"]
    return [p for p in people if p["entitled"] and not p["present"]]


def test_check_in_by_name_search_raises_p_and_undo_lowers_it(admin, demo, db):
    cid = demo["congress_id"]
    person = _absent(admin, cid)[0]
    found = admin.get(f"/api/congresses/{cid}/people", query_string={"q": person["name"]}).json
    assert person["id"] in [p["id"] for p in found["people"]]
    response = admin.post(f"/api/congresses/{cid}/attendance", json={"person_id": person["id"]})
    assert response.status_code == 200
    assert response.json["already_present"] is False
    assert response.json["quorum"]["present"] == demo["present"] + 1
    assert response.json["person"]["present"] is True
    again = admin.post(f"/api/congresses/{cid}/attendance", json={"person_id": person["id"]})
    assert again.json["already_present"] is True
    assert again.json["quorum"]["present"] == demo["present"] + 1
    undone = admin.delete(f"/api/congresses/{cid}/attendance/{person['id']}")
    assert undone.status_code == 200 and undone.json["quorum"]["present"] == demo["present"]
    assert count(db, "SELECT count(*) FROM attendance WHERE person_id = ?", person["id"]) == 0
    actions = [row[0] for row in db.execute(
        "SELECT action FROM audit_log WHERE subject = ? ORDER BY id", [f"person:{person['id']}"])]
    assert actions[-2:] == ["attendance.check_in", "attendance.undo"]


def test_check_in_by_scanned_card_code_ignores_case_and_spaces(admin, demo):
    cid = demo["congress_id"]
    person = _absent(admin, cid)[0]
    typed = " " + person["card_code"].lower() + "\n"
    response = admin.post(f"/api/congresses/{cid}/attendance", json={"card_code": typed})
    assert response.status_code == 200
    assert response.json["person"]["id"] == person["id"]


def test_unknown_card_is_404_naming_the_code_and_p_is_unchanged(admin, demo, db):
    cid = demo["congress_id"]
    before = count(db, "SELECT count(*) FROM attendance")
    response = admin.post(f"/api/congresses/{cid}/attendance", json={"card_code": "NOSUCHCARD"})
    assert response.status_code == 404
    assert "NOSUCHCARD" in response.json["error"]["message"]
    assert count(db, "SELECT count(*) FROM attendance") == before


def test_retained_member_without_a_vote_cannot_check_in(admin, demo, db):
    cid = demo["congress_id"]
    people = admin.get(f"/api/congresses/{cid}/people?limit=2000").json["people"]
    retained = next(p for p in people if not p["entitled"])
    response = admin.post(f"/api/congresses/{cid}/attendance", json={"person_id": retained["id"]})
    assert response.status_code == 409
    assert retained["name"] in response.json["error"]["message"]
    assert count(db, "SELECT count(*) FROM attendance WHERE person_id = ?", retained["id"]) == 0


@pytest.mark.parametrize("body", [{}, {"person_id": 1, "card_code": "A"}, {"person_id": "x"},
                                  {"card_code": ""}, {"person_id": None}])
def test_check_in_needs_exactly_one_of_person_or_card(admin, demo, body):
    response = admin.post(f"/api/congresses/{demo['congress_id']}/attendance", json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_input"


def test_check_in_of_a_person_id_that_does_not_exist_is_404(admin, demo):
    for person_id in (0, -1, 99999):
        response = admin.post(f"/api/congresses/{demo['congress_id']}/attendance",
                              json={"person_id": person_id})
        assert response.status_code == 404 and "名册中没有此人" in response.json["error"]["message"]


def test_undo_of_someone_not_present_is_409_and_of_another_congress_404(admin, demo):
    cid = demo["congress_id"]
    person = _absent(admin, cid)[0]
    response = admin.delete(f"/api/congresses/{cid}/attendance/{person['id']}")
    assert response.status_code == 409 and person["name"] in response.json["error"]["message"]
    other = admin.post("/api/congresses", json={"name": "另一大会", "kind": "founding",
                                                 "assembly": "members", "members": 30}).json["id"]
    assert admin.delete(f"/api/congresses/{other}/attendance/{person['id']}").status_code == 404
    assert admin.post(f"/api/congresses/{other}/attendance",
                      json={"person_id": person["id"]}).status_code == 404


def test_people_search_matches_unit_and_tells_same_names_apart(admin, db):
    cid = admin.post("/api/congresses", json={"name": "同名测试", "kind": "founding",
                                               "assembly": "members", "members": 40}).json["id"]
    body = "姓名,单位,备注\n王芳,一车间,\n王芳,二车间,\n李强,一车间,\n".encode()
    response = admin.post(f"/api/congresses/{cid}/roster",
                          data={"file": (io.BytesIO(body), "r.csv")},
                          content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    found = admin.get(f"/api/congresses/{cid}/people", query_string={"q": "王 芳"}).json
    assert found["total"] == 2
    assert sorted(p["unit"] for p in found["people"]) == ["一车间", "二车间"]
    by_unit = admin.get(f"/api/congresses/{cid}/people", query_string={"q": "一车间"}).json
    assert [p["name"] for p in by_unit["people"]] == ["王芳", "李强"]  # R9: 王 (4) before 李 (7)
