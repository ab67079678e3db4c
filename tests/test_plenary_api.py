"""R13 through the API: once the committee contest is sealed, the secretariat starts the new
committee's first plenary; its roster is the members elected (unit and gender carried
over), attendance is taken among them, its contests get officials from among its
members, ballots are printed, counted by a teller, sealed and reported exactly as the
congress's are, with the plenary's own E and P; the report to the higher union includes it."""

# ruff: noqa: F811  (pytest fixtures imported from test_setup_fixtures are parameters here)
from __future__ import annotations

import time
import uuid

import pypdfium2 as pdfium
import pytest
from test_setup_fixtures import admin, app, db, demo, demo_template, teller  # noqa: F401

from app.demo import run_demo_contest


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def seal_committee(app, demo) -> list[str]:
    """Hold and seal the demo congress's committee election with the real services; the
    names elected, in the sealed order."""
    from app.db import get_db

    with app.app_context():
        db = get_db()
        contest = demo["contest_ids"]["committee"]
        signers = [(r["name"], r["role"]) for r in db.execute(
            "SELECT name, role FROM contest_official WHERE contest_id = ?", [contest])]
        round_id = run_demo_contest(db, contest, signers, "test", app.config["BALLOT_KEY"])
        import json

        result = json.loads(db.execute("SELECT result_json FROM round WHERE id = ?",
                                       [round_id]).fetchone()[0])
    assert result["outcome"] == "decided"
    return [p["name"] for p in result["elected"]]


@pytest.fixture
def plenary(app, demo, admin):
    elected = seal_committee(app, demo)
    response = admin.post(f"/api/contests/{demo['contest_ids']['committee']}/plenary")
    assert response.status_code == 201, response.json
    return {**response.json, "elected": elected}


def test_a_plenary_cannot_start_before_its_contest_is_sealed(admin, demo, db):
    sources = admin.get(f"/api/congresses/{demo['congress_id']}/plenaries").json["sources"]
    committee = next(s for s in sources if s["contest_id"] == demo["contest_ids"]["committee"])
    assert committee["ready"] is False and committee["reason"] == "plenary_contest_not_sealed"
    assert "封存" in committee["reason_text"]
    response = admin.post(f"/api/contests/{demo['contest_ids']['committee']}/plenary")
    assert response.status_code == 409
    assert "尚未封存" in response.json["error"]["message"]
    assert db.execute("SELECT count(*) FROM congress WHERE parent_id IS NOT NULL").fetchone()[0] == 0


def test_only_a_committee_contest_has_a_plenary(admin, demo):
    response = admin.post(f"/api/contests/{demo['contest_ids']['chair']}/plenary")
    assert response.status_code == 409


def test_the_plenary_roster_is_the_members_elected_with_unit_and_gender(plenary, admin, demo, db):
    assert plenary["parent_id"] == demo["congress_id"] and plenary["body"] == "committee_plenary"
    assert plenary["members"] == len(plenary["elected"]) == 9
    assert plenary["name"] == "第五届工会委员会第一次全体会议"
    people = admin.get(f"/api/congresses/{plenary['id']}/people?limit=100").json["people"]
    assert [p["name"] for p in people] == plenary["elected"]  # the sealed order, R9
    for person in people:
        source = db.execute("SELECT unit, gender FROM person WHERE congress_id = ? AND name = ?",
                            [demo["congress_id"], person["name"]]).fetchone()
        assert (person["unit"], person["gender"]) == (source["unit"], source["gender"])
        assert person["entitled"] and not person["present"]
    quorum = admin.get(f"/api/congresses/{plenary['id']}/quorum").json
    assert (quorum["entitled"], quorum["present"]) == (9, 0)
    body = admin.get(f"/api/congresses/{plenary['id']}").json
    assert body["parent_id"] == demo["congress_id"]
    assert body["source_contest_id"] == demo["contest_ids"]["committee"]
    again = admin.post(f"/api/contests/{demo['contest_ids']['committee']}/plenary")
    assert again.status_code == 409 and "已经开始" in again.json["error"]["message"]
    sources = admin.get(f"/api/congresses/{demo['congress_id']}/plenaries").json["sources"]
    assert next(s for s in sources if s["plenary_id"] == plenary["id"])["ready"] is False


def test_a_congress_delegate_is_not_checked_in_at_the_plenary(plenary, admin, demo, db):
    outsider = db.execute("SELECT id FROM person WHERE congress_id = ? ORDER BY id DESC LIMIT 1",
                          [demo["congress_id"]]).fetchone()[0]
    response = admin.post(f"/api/congresses/{plenary['id']}/attendance", json={"person_id": outsider})
    assert response.status_code == 404


def test_the_plenary_elects_only_its_own_offices(plenary, admin, demo, db):
    members = plenary["elected"]
    body = {"title": "主席", "office": "chair", "method": "equal", "seats": 1,
            "candidates": [{"name": members[0]}]}
    refused = admin.post(f"/api/congresses/{plenary['id']}/contests", json=body)
    assert refused.status_code == 409 and "主席" in refused.json["error"]["message"]
    assert "chair" not in refused.json["error"]["message"]
    committee = admin.post(f"/api/congresses/{plenary['id']}/contests",
                           json={**body, "office": "committee", "title": "委员"})
    assert committee.status_code == 409
    # The congress decides: a chair contest of its own blocks electing the chair at the plenary.
    switch = admin.patch(f"/api/congresses/{demo['congress_id']}", json={"leaders_elected_by": "plenary"})
    assert switch.status_code == 409
    chair = demo["contest_ids"]["chair"]
    for sql in ("DELETE FROM contest_official WHERE contest_id = ?",
                "DELETE FROM round_candidate WHERE round_id IN (SELECT id FROM round WHERE contest_id = ?)",
                "DELETE FROM round WHERE contest_id = ?", "DELETE FROM candidate WHERE contest_id = ?",
                "DELETE FROM contest WHERE id = ?"):
        db.execute(sql, [chair])
    db.conn.commit()
    switch = admin.patch(f"/api/congresses/{demo['congress_id']}", json={"leaders_elected_by": "plenary"})
    assert switch.status_code == 200 and switch.json["leaders_elected_by"] == "plenary"
    assert admin.post(f"/api/congresses/{plenary['id']}/contests", json=body).status_code == 201
    at_congress = admin.post(f"/api/congresses/{demo['congress_id']}/contests", json=body)
    assert at_congress.status_code == 409 and "产生方式" in at_congress.json["error"]["message"]


def test_the_plenary_votes_counts_seals_and_reports_like_the_congress(plenary, admin, teller,
                                                                      signed_in, demo, db):
    members = plenary["elected"]
    people = admin.get(f"/api/congresses/{plenary['id']}/people?limit=100").json["people"]
    for person in people[:8]:  # one member is absent
        assert admin.post(f"/api/congresses/{plenary['id']}/attendance",
                          json={"person_id": person["id"]}).status_code in (200, 201)
    contest = admin.post(f"/api/congresses/{plenary['id']}/contests", json={
        "title": "第五届工会委员会常务委员会委员", "office": "standing_committee",
        "method": "differential", "seats": 3, "candidates": [{"name": n} for n in members[:4]]})
    assert contest.status_code == 201, contest.json
    contest = contest.json
    outsider = db.execute("SELECT name FROM person WHERE congress_id = ? ORDER BY id DESC LIMIT 1",
                          [demo["congress_id"]]).fetchone()[0]
    refused = admin.post(f"/api/contests/{contest['id']}/officials",
                         json={"name": outsider, "role": "teller"})
    assert refused.status_code == 409 and "不是本次全体会议的成员" in refused.json["error"]["message"]
    officials = list(zip(members[4:7], ("chief_scrutineer", "scrutineer", "teller"), strict=True))
    for name, role in officials:
        # The teller's account acts for the appointed teller: an account counts only the
        # contests it is appointed to.
        link = {"user_id": demo["user_ids"]["teller1"]} if role == "teller" else {}
        response = admin.post(f"/api/contests/{contest['id']}/officials",
                              json={"name": name, "role": role, **link})
        assert response.status_code == 201, response.json
    round_id = contest["rounds"][0]["id"] if "rounds" in contest else db.execute(
        "SELECT id FROM round WHERE contest_id = ? AND number = 1", [contest["id"]]).fetchone()[0]
    opened = admin.post(f"/api/rounds/{round_id}/open")
    assert opened.status_code == 200, opened.json
    assert (opened.json["entitled"], opened.json["present"]) == (9, 8)

    job = admin.post(f"/api/rounds/{round_id}/print-jobs", json={"count": 8}).json
    for _ in range(300):
        state = admin.get(f"/api/print-jobs/{job['id']}").json
        if state["state"] != "running":
            break
        time.sleep(0.1)
    assert state["state"] == "done", state
    pdf = admin.get(f"/api/print-jobs/{job['id']}/pdf")
    assert pdf.status_code == 200
    sheet = pdf_text(pdf.data).split("第五届工会委员会常务委员会委员", 1)[1]
    assert [name for name in members[:4] if name in sheet] == members[:4]
    assert sorted(members[:4], key=sheet.index) == members[:4]  # printed in R9 order
    serials = [r[0] for r in db.execute("SELECT serial FROM ballot_serial WHERE round_id = ?", [round_id])]
    assert len(serials) == 8

    refs = [c["ref"] for c in admin.get(f"/api/contests/{contest['id']}").json["candidates"]]
    for index, serial in enumerate(serials):
        # The first two everywhere; the third on six ballots, the fourth on the other two.
        third, fourth = ("no", "yes") if index < 2 else ("yes", "no")
        marks = {refs[0]: "yes", refs[1]: "yes", refs[2]: third, refs[3]: fourth}
        response = teller.post(f"/api/rounds/{round_id}/ballots", json={
            "serial": serial, "marks": marks, "client_id": uuid.uuid4().hex})
        assert response.status_code == 200, response.json
    assert admin.put(f"/api/rounds/{round_id}/issued", json={"issued": 8}).status_code == 200
    chief = signed_in("chief")
    assert chief.put(f"/api/rounds/{round_id}/returned", json={"returned": 8}).status_code == 200
    signatures = [{"name": name, "role": role} for name, role in officials]
    sealed = chief.post(f"/api/results/rounds/{round_id}/seal", json={"signatures": signatures})
    assert sealed.status_code == 200, sealed.json
    result = sealed.json["result"]
    assert result["outcome"] == "decided"
    assert result["threshold"] == 5  # more than half of E = 9 members, not of the congress's 120
    assert sorted(p["ref"] for p in result["elected"]) == sorted(refs[:3])

    report = pdf_text(admin.get(f"/api/results/rounds/{round_id}/report.pdf").data)
    assert "第五届工会委员会第一次全体会议" in report and "青石镇总工会第五次会员代表大会" not in report
    higher = pdf_text(admin.get(f"/api/results/congresses/{demo['congress_id']}/report.pdf").data)
    assert "青石镇总工会第五次会员代表大会" in higher and "第五届工会委员会第一次全体会议" in higher
    assert "第五届工会委员会常务委员会委员" in higher
    assert all(p["name"] in higher for p in result["elected"])
