"""The congress's place, issuing body and ballot stamp from the /admin form (issue 11):
the fields are on the create and edit forms in both languages, the API takes them on
create as on edit, a bad value is refused naming the field as the form calls it, and the
documents (ballot layout) follow what was set."""

from __future__ import annotations

import re

import pytest
from conftest import sign_in

from app.i18n import CATALOG

NEW = {"name": "青石镇工会会员大会", "kind": "founding", "assembly": "members", "members": 60}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_both_congress_forms_carry_place_issuer_and_stamp(app, client, demo, lang):
    sign_in(client, "admin")
    client.patch(f"/api/congresses/{demo['congress_id']}",
                 json={"place": "镇政府三楼会议室", "issuing_body": "青石镇总工会", "ballot_stamp": True})
    html = client.get(f"/admin?lang={lang}&congress={demo['congress_id']}").get_data(as_text=True)
    edit, create = (re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S).group(0)
                    for form_id in ("congress-form", "new-congress-form"))
    for form in (edit, create):
        for key in ("admin_place", "admin_issuing_body", "admin_ballot_stamp"):
            assert CATALOG[key][lang] in form, (key, lang)
        assert re.search(r'<input name="place" maxlength="120"', form)
        assert re.search(r'<input name="issuing_body" maxlength="120"', form)
        assert 'name="ballot_stamp"' in form
    # The edit form shows what is stored; the new one starts empty and unstamped.
    assert 'value="镇政府三楼会议室"' in edit and 'value="青石镇总工会"' in edit
    assert re.search(r'name="ballot_stamp" checked', edit)
    assert 'value="镇政府三楼会议室"' not in create and not re.search(r'name="ballot_stamp" checked', create)


def test_a_new_congress_takes_place_issuer_and_stamp(app, client, demo):
    from app.ballots.round_layout import round_layout
    from app.congress.setup import create_contest
    from app.db import get_db

    sign_in(client, "admin")
    created = client.post("/api/congresses", json={
        **NEW, "place": "文化站礼堂", "issuing_body": "青石镇总工会筹备组", "ballot_stamp": True})
    assert created.status_code == 201, created.json
    assert (created.json["place"], created.json["issuing_body"], created.json["ballot_stamp"]) == (
        "文化站礼堂", "青石镇总工会筹备组", True)
    plain = client.post("/api/congresses", json=NEW)
    assert (plain.json["place"], plain.json["issuing_body"], plain.json["ballot_stamp"]) == ("", "", False)
    with app.app_context():
        db = get_db()
        for congress, stamped in ((created.json, True), (plain.json, False)):
            contest = create_contest(db, congress["id"], title="委员会委员", office="committee",
                                     method="equal", seats=1, candidates=[("王芳", "")], actor="test")
            round_id = db.execute("SELECT id FROM round WHERE contest_id = ?", [contest]).fetchone()[0]
            assert (round_layout(db, round_id)["stamp"] is not None) is stamped


@pytest.mark.parametrize("body, zh, en", [
    ({"place": "礼堂\u202e"}, "会议地点", "Place"),
    ({"issuing_body": "总" * 121}, "发文单位", "Issuing body"),
    ({"ballot_stamp": "maybe"}, "选票留盖章区", "Ballots have a stamp area"),
    ({"members": 0}, "会员人数", "Union members"),
])
def test_a_bad_value_is_refused_naming_the_field_as_the_form_does(app, client, demo, body, zh, en):
    sign_in(client, "admin")
    cid = demo["congress_id"]
    before = client.get(f"/api/congresses/{cid}").json
    count = len(client.get("/api/congresses").json["congresses"])
    for lang, label in (("zh-CN", zh), ("en", en)):
        for method, url, payload in (("patch", f"/api/congresses/{cid}", body),
                                     ("post", "/api/congresses", {**NEW, **body})):
            response = getattr(client, method)(f"{url}?lang={lang}", json=payload)
            assert response.status_code == 422, response.json
            message = response.json["error"]["message"]
            assert f"{label}:" in message, message
            assert "json" not in message and not re.search(r"\b[a-z]+_[a-z_]+\b", message), message
    assert client.get(f"/api/congresses/{cid}").json == before  # nothing half-written
    assert len(client.get("/api/congresses").json["congresses"]) == count


def test_the_demo_count_report_fits_one_sheet_in_both_languages(app, demo):
    """Ten candidates and five officials' signature lines (the demo's committee) on one A4
    sheet, with the congress's place printed: the signatures never spill onto a page of
    their own."""
    import pypdfium2 as pdfium

    from app.db import get_db
    from app.demo import add_demo_plenary
    from app.results.reports import count_report_pdf

    with app.app_context():
        db = get_db()
        db.execute("UPDATE congress SET place = '镇政府三楼会议室' WHERE id = ?", [demo["congress_id"]])
        ids = add_demo_plenary(db, demo, app.config["BALLOT_KEY"])
        for locale in ("zh-CN", "en"):
            document = pdfium.PdfDocument(count_report_pdf(db, ids["committee_round_id"], locale))
            assert len(document) == 1, locale
            text = document[0].get_textpage().get_text_range()
            assert "镇政府三楼会议室" in text
            assert text.count("签字" if locale == "zh-CN" else "Signature") == 5  # every official's line


def test_a_nested_field_is_named_in_words_too(app, client, demo):
    sign_in(client, "admin")
    body = {"title": "委员", "office": "committee", "method": "equal", "seats": 1,
            "candidates": [{"name": "王芳"}, {"name": "李\u202e明"}], "rules": {"quorum": "most"}}
    for lang, words in (("zh-CN", ("候选人 · 第 2 项 · 名称或姓名:", "计票规则设置 · 法定人数:")),
                        ("en", ("Candidates · item 2 · Name:", "Settings · Quorum:"))):
        response = client.post(f"/api/congresses/{demo['congress_id']}/contests?lang={lang}", json=body)
        message = response.json["error"]["message"]
        assert response.status_code == 422 and all(word in message for word in words), message
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|candidates|\.1\.", message), message
        assert "不是可选的值之一" in message if lang == "zh-CN" else "Not one of the choices" in message
