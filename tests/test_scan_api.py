"""POST /api/rounds/<round_id>/scan: a real printed ballot of the demo congress,
filled and photographed, read through the HTTP endpoint; the ballot check's refusals
and the upload bounds come back as clear 4xx answers."""

from __future__ import annotations

import io
import random

import pytest

from app.ballots.issue import issue_serials, void_spare
from app.ballots.round_layout import layout_digest, round_layout
from app.ballots.serials import new_serial, sign
from app.congress.rounds import open_round
from app.db import get_db
from tests.support.deck import deck_module as load_deck_module

deck_module = load_deck_module()

ANSWER_KEYS = {"serial", "contest_id", "round_id", "marks", "scores", "write_ins", "needs_review",
               "confidence", "page_to_image", "image_size", "timings_ms"}


@pytest.fixture
def hall(app, demo):
    """The committee's first round open, with five printed serials."""
    with app.app_context():
        db = get_db()
        contest_id = demo["contest_ids"]["committee"]
        round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                              [contest_id]).fetchone()[0]
        open_round(db, round_id, "test")
        serials = issue_serials(db, round_id, 5, "test").serials
        layout = round_layout(db, round_id)
    return {"contest_id": contest_id, "round_id": round_id, "serials": serials, "layout": layout,
            "key": app.config["BALLOT_KEY"]}


def photo_of(hall, serial: str, seed: int = 1, *, round_id: int | None = None,
             contest_id: int | None = None):
    """A photographed, filled ballot of the hall's round printed with `serial`."""
    rid, cid = round_id or hall["round_id"], contest_id or hall["contest_id"]
    payload = sign(hall["key"], cid, rid, serial).text()
    ballot = deck_module.Ballot(hall["layout"], payload, cid, rid, serial)
    rng = random.Random(seed)
    filled, truth = deck_module.fill_ballot(deck_module.render_page(ballot), hall["layout"], rng)
    photo, _ = deck_module.photograph(filled, rng)
    return photo, truth


def post(client, round_id: int, data: bytes, lang: str = "zh-CN"):
    return client.post(f"/api/rounds/{round_id}/scan?lang={lang}",
                       data={"photo": (io.BytesIO(data), "ballot.jpg")},
                       content_type="multipart/form-data")


def test_a_teller_gets_the_reading_of_a_photographed_ballot(hall, signed_in):
    serial = hall["serials"][0]
    photo, truth = photo_of(hall, serial)
    response = post(signed_in("teller1"), hall["round_id"], photo)
    assert response.status_code == 200, response.json
    body = response.json
    assert set(body) == ANSWER_KEYS
    assert (body["serial"], body["contest_id"], body["round_id"]) == \
        (serial, hall["contest_id"], hall["round_id"])
    refs = [c["ref"] for c in hall["layout"]["candidates"]]
    assert set(body["marks"]) == set(refs) == set(body["scores"])
    for ref in refs:
        assert body["marks"][ref] in (truth.marks[ref], "unsure")
        if truth.clear[ref]:
            assert body["marks"][ref] == truth.marks[ref]
    assert len(body["write_ins"]) == len(hall["layout"]["write_ins"])
    for item in body["write_ins"]:
        assert set(item) == {"index", "has_name", "mark", "score", "name_crop"}
        assert item["name_crop"].startswith("data:image/png;base64,")
    assert len(body["page_to_image"]) == 3 and all(len(row) == 3 for row in body["page_to_image"])
    assert sorted(body["image_size"]) == [1200, 1600]
    assert set(body["timings_ms"]) == {"decode", "align", "score", "total"}


def test_reading_records_nothing(app, hall, signed_in):
    photo, _ = photo_of(hall, hall["serials"][1], seed=2)
    assert post(signed_in("scrutineer"), hall["round_id"], photo).status_code == 200
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM ballot").fetchone()[0] == 0


def test_only_signed_in_officials_may_scan(app, hall):
    photo, _ = photo_of(hall, hall["serials"][0])
    client = app.test_client()
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get("/api/session").json["csrf_token"]
    response = post(client, hall["round_id"], photo)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "login_required"


@pytest.mark.parametrize("case, status, code", [
    ("never_printed", 409, "never_printed"),
    ("other_contest", 409, "other_contest"),
    ("voided", 409, "voided"),
    ("forged", 422, "bad_tag"),
])
def test_a_ballot_that_fails_its_check_is_refused_with_its_reason(app, hall, signed_in, demo,
                                                                  case, status, code):
    serial = hall["serials"][2]
    if case == "never_printed":
        photo, _ = photo_of(hall, new_serial())
    elif case == "other_contest":
        photo, _ = photo_of(hall, serial, contest_id=demo["contest_ids"]["audit_committee"])
    elif case == "voided":
        with app.app_context():
            void_spare(get_db(), hall["key"], hall["round_id"], typed_code=serial, actor="test")
        photo, _ = photo_of(hall, serial)
    else:
        hall = {**hall, "key": "someone-elses-key"}
        photo, _ = photo_of(hall, serial)
    response = post(signed_in("teller2"), hall["round_id"], photo)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]


def test_bad_uploads_get_a_clear_4xx_in_the_users_language(app, hall, signed_in):
    client = signed_in("teller1")
    response = post(client, hall["round_id"], b"just some text", lang="en")
    assert response.status_code == 415
    assert response.json["error"]["code"] == "not_an_image"
    assert "not a photo" in response.json["error"]["message"]
    response = post(client, hall["round_id"], b"just some text")
    assert "照片" in response.json["error"]["message"]
    huge = b"\xff\xd8" + b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = post(client, hall["round_id"], huge)
    assert response.status_code == 413
    missing = client.post(f"/api/rounds/{hall['round_id']}/scan", data={},
                          content_type="multipart/form-data")
    assert missing.status_code == 422


def test_a_photo_of_nothing_is_no_ballot_found_and_an_unknown_round_is_404(hall, signed_in):
    import cv2
    import numpy as np

    client = signed_in("teller1")
    blank = cv2.imencode(".jpg", np.full((1200, 1600), 180, np.uint8))[1].tobytes()
    response = post(client, hall["round_id"], blank)
    assert response.status_code == 422
    assert response.json["error"]["code"] in ("no_ballot_found", "too_dark", "too_blurred")
    assert post(client, 999_999, blank).status_code == 404


def test_a_ballot_printed_from_another_layout_is_refused_with_a_clear_reason(app, hall, signed_in):
    """The layout digest recorded when a batch is printed is checked when its photo is read:
    a sheet printed from another layout would be measured in the wrong places."""
    with app.app_context():
        db = get_db()
        other = issue_serials(db, hall["round_id"], 1, "test", layout_sha256="0" * 64).serials[0]
        same = issue_serials(db, hall["round_id"], 1, "test",
                             layout_sha256=layout_digest(hall["layout"])).serials[0]
    client = signed_in("teller1")
    refused = post(client, hall["round_id"], photo_of(hall, other)[0], lang="en")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "layout_changed"
    assert other in refused.json["error"]["message"]
    assert "another layout" in refused.json["error"]["message"]
    zh = post(client, hall["round_id"], photo_of(hall, other)[0])
    assert "版式" in zh.json["error"]["message"]
    assert post(client, hall["round_id"], photo_of(hall, same)[0]).status_code == 200
