"""Issued ballots above those present (I > P, issue 16): refused with a message naming
both numbers, or acknowledged with a reason in words — when I is entered by hand, on the
close page's form, or at sealing. The acknowledgement is audited with its reason and is
printed on the count report."""

from __future__ import annotations

import json

import pypdfium2 as pdfium
import pytest

from app.store import connect
from tests.conftest import sign_in
from tests.test_results_support import SIGNATURES, add_users, make_round

REASON = "一名代表弄污选票后补发一张"


@pytest.fixture
def db(app):
    connection = connect(app.config["DATABASE"])
    add_users(connection)
    yield connection
    connection.close()


@pytest.fixture
def as_user(app, db):
    def make(username: str):
        client = app.test_client()
        sign_in(client, username)
        return client

    return make


def _counted_round(db, key, *, present: int = 10, ballots: int = 10):
    """E = 10 with `present` checked in; `ballots` counted, all for 王红 and 李明."""
    rnd = make_round(db, key, names=["王红", "李明", "张伟"], seats=2, present=present,
                     serials=ballots + 5)
    rnd.votes(ballots, {"c1": "yes", "c2": "yes", "c3": "no"})
    return rnd


def _audited(db, round_id: int) -> list[dict]:
    return [json.loads(row[0]) for row in db.execute(
        "SELECT detail_json FROM audit_log WHERE action = 'ballots.issued_over_present'"
        " AND subject = ? ORDER BY id", [f"round:{round_id}"])]


@pytest.mark.parametrize(("lang", "words"), [("zh-CN", ("发出选票 12 张", "参加选举人数 9 人")),
                                             ("en", ("Ballots issued (12)", "those present (9)"))])
def test_entering_i_above_p_without_a_reason_is_refused_naming_both(app, db, as_user, lang, words):
    rnd = _counted_round(db, app.config["BALLOT_KEY"], present=9, ballots=9)
    admin = as_user("admin")
    response = admin.put(f"/api/rounds/{rnd.round_id}/issued?lang={lang}", json={"issued": 12})
    assert response.status_code == 409, response.json
    assert response.json["error"]["code"] == "issued_over_present"
    message = response.json["error"]["message"]
    assert all(word in message for word in words), message
    figures = admin.get(f"/api/rounds/{rnd.round_id}/issuance").json
    assert figures["issued"] != 12 and not figures["issued_entered"]  # nothing half-written
    assert _audited(db, rnd.round_id) == []


def test_i_up_to_p_needs_no_reason(app, db, as_user):
    rnd = _counted_round(db, app.config["BALLOT_KEY"])
    response = as_user("chief").put(f"/api/rounds/{rnd.round_id}/issued", json={"issued": 10})
    assert response.status_code == 200
    assert response.json["issued"] == 10 and response.json["issued_over_present"] is None


def test_a_reason_of_a_dot_is_not_a_reason(app, db, as_user):
    rnd = _counted_round(db, app.config["BALLOT_KEY"])
    response = as_user("admin").put(f"/api/rounds/{rnd.round_id}/issued?lang=en",
                                    json={"issued": 11, "reason": " . "})
    assert response.status_code == 422
    assert "11" in response.json["error"]["message"] and "10" in response.json["error"]["message"]


def test_a_reason_acknowledges_it_audited_and_covers_lower_figures_only(app, db, as_user):
    rnd = _counted_round(db, app.config["BALLOT_KEY"])
    chief = as_user("chief")
    response = chief.put(f"/api/rounds/{rnd.round_id}/issued", json={"issued": 11, "reason": REASON})
    assert response.status_code == 200, response.json
    ack = response.json["issued_over_present"]
    assert (ack["issued"], ack["present"], ack["reason"]) == (11, 10, REASON)
    assert _audited(db, rnd.round_id) == [{"issued": 11, "present": 10, "reason": REASON}]
    # The acknowledgement covers 11, not more.
    assert chief.put(f"/api/rounds/{rnd.round_id}/issued", json={"issued": 11}).status_code == 200
    more = chief.put(f"/api/rounds/{rnd.round_id}/issued", json={"issued": 12})
    assert more.status_code == 409 and "12" in more.json["error"]["message"]


def test_sealing_with_i_above_p_is_refused_until_acknowledged_then_printed(app, db, as_user):
    rnd = _counted_round(db, app.config["BALLOT_KEY"])
    rnd.enter_counts(13, 10)  # as printed − voided gives it: 15 printed, 2 voided
    chief = as_user("chief")
    closing = chief.get(f"/api/results/rounds/{rnd.round_id}/closing").json
    assert not closing["ready"] and closing["figures"]["issued_over_present_open"] is True
    assert any("13" in p and "10" in p for p in closing["problems"]), closing["problems"]
    refused = chief.post(f"/api/results/rounds/{rnd.round_id}/seal", json={"signatures": SIGNATURES})
    assert refused.status_code == 409 and "13" in refused.json["error"]["message"]
    assert connect(app.config["DATABASE"]).execute(
        "SELECT state FROM round WHERE id = ?", [rnd.round_id]).fetchone()[0] == "open"

    sealed = chief.post(f"/api/results/rounds/{rnd.round_id}/seal",
                        json={"signatures": SIGNATURES, "issued_over_present_reason": REASON})
    assert sealed.status_code == 200, sealed.json
    assert _audited(db, rnd.round_id) == [{"issued": 13, "present": 10, "reason": REASON}]
    page = chief.get(f"/api/results/rounds/{rnd.round_id}/closing").json
    assert page["figures"]["issued_over_present"]["reason"] == REASON
    assert page["figures"]["issued_over_present_open"] is False

    report = chief.get(f"/api/results/rounds/{rnd.round_id}/report.pdf")
    document = pdfium.PdfDocument(report.data)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    compact = text.replace("\r", "").replace("\n", "").replace(" ", "")
    assert "发出选票13张多于参加选举人数10人" in compact and REASON in compact, compact[:400]


def test_a_failed_seal_keeps_no_acknowledgement(app, db, as_user):
    rnd = _counted_round(db, app.config["BALLOT_KEY"])
    rnd.enter_counts(13, 11)  # R = 11 but only 10 counted: not ready anyway
    refused = as_user("chief").post(f"/api/results/rounds/{rnd.round_id}/seal",
                                    json={"signatures": SIGNATURES, "issued_over_present_reason": REASON})
    assert refused.status_code == 409
    assert _audited(db, rnd.round_id) == []


def test_the_close_page_form_acknowledges_and_the_report_needs_nothing_else(app, db, as_user):
    rnd = _counted_round(db, app.config["BALLOT_KEY"])
    rnd.enter_counts(12, 10)
    admin = as_user("admin")
    teller = as_user("teller1")
    url = f"/api/rounds/{rnd.round_id}/issued-over-present"
    assert teller.put(url, json={"reason": REASON}).status_code == 403
    assert admin.put(url + "?lang=en", json={"reason": ""}).status_code == 422
    ack = admin.put(url, json={"reason": REASON})
    assert ack.status_code == 200 and ack.json["reason"] == REASON
    assert as_user("chief").get(f"/api/results/rounds/{rnd.round_id}/closing").json["ready"] is True


def test_nothing_to_acknowledge_when_i_is_not_above_p(app, db, as_user):
    rnd = _counted_round(db, app.config["BALLOT_KEY"])
    rnd.enter_counts(10, 10)
    response = as_user("admin").put(f"/api/rounds/{rnd.round_id}/issued-over-present?lang=en",
                                    json={"reason": REASON})
    assert response.status_code == 409
    assert "(10)" in response.json["error"]["message"]
