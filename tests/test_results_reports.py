"""Reports (issue 6, item 4; R11): the count report and the announcement as PDF with an
embedded CJK font — rendered to an image and read back — the tally as CSV, and the
combined congress report for the higher union."""

from __future__ import annotations

import csv
import io

import pypdfium2 as pdfium
import pytest

from app.digest import short_digest
from app.results.reports import count_report_pdf, padded
from app.results.sealing import seal
from app.rules import sort_by_name
from app.store import connect
from tests.conftest import sign_in
from tests.test_results_support import SIGNATURES, add_users, make_round

NAMES = ["毛泽", "王红", "方圆", "孔明"]  # R9: 王 (横) 毛 (撇) 方 (点) 孔 (折)


@pytest.fixture
def sealed(app):
    db = connect(app.config["DATABASE"])
    add_users(db)
    # E = 12, P = 11, S = 3, threshold 7; 王红 9, 孔明 9, 毛泽 7, 方圆 3; one invalid ballot.
    rnd = make_round(db, app.config["BALLOT_KEY"], names=NAMES, seats=3, entitled=12, present=11,
                     title="第五届工会委员会委员")
    rnd.votes(3, {"c1": "yes", "c2": "yes", "c4": "yes"})
    rnd.votes(4, {"c1": "yes", "c2": "yes", "c4": "yes", "c3": "no"})
    rnd.votes(2, {"c2": "yes", "c4": "yes", "c3": "yes"})
    rnd.votes(1, {"c3": "yes", "c1": "no"})
    rnd.vote(invalid=True)
    rnd.enter_counts(11, 11)
    sealed = seal(db, rnd.round_id, SIGNATURES, "chief_scrutineer:chief")
    client = app.test_client()
    sign_in(client, "scrutineer")
    yield rnd, sealed, client
    db.close()


def _pages(pdf_bytes: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf_bytes)
    return [document[index].get_textpage().get_text_range() for index in range(len(document))]


def test_count_report_shows_every_r11_figure_and_renders(sealed):
    rnd, result, client = sealed
    response = client.get(f"/api/results/rounds/{rnd.round_id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = pdfium.PdfDocument(response.data)
    image = document[0].render(scale=1).to_pil().convert("L")
    assert image.size[0] > 500 and image.getextrema()[0] < 60  # ink on the page
    text = "".join(_pages(response.data)).replace("\r", "")
    compact = text.replace(" ", "").replace("\n", "")
    for figure in ("应到会有选举权人数12", "实到会参加选举人数11", "发出选票11", "收回选票11",
                   "有效票10", "无效票1", "当选最低票数7", "法定人数8", "是否达到法定人数是",
                   "本轮选举有效", "应选名额3"):
        assert figure in compact, figure
    for name in NAMES:
        assert name in text
    assert "王红" in compact and "当选人（按姓氏笔画为序）：王红、毛泽、孔明" in compact
    assert "应到会人数三分之二以上" in text and "不低于5%" in compact  # settings in force
    assert short_digest(result["digest"]) in text
    for signature in SIGNATURES:
        assert signature["name"] in text
    for signature in SIGNATURES:  # one line per official who signed
        assert compact.count(f"{signature['name']}签字：") == 1


def test_count_report_rows_carry_approve_disapprove_abstain(sealed):
    rnd, result, client = sealed
    text = "".join(_pages(client.get(f"/api/results/rounds/{rnd.round_id}/report.pdf").data))
    compact = text.replace(" ", "").replace("\n", "").replace("\r", "")
    for row in result["result"]["tally"]:
        assert f"{row['name']}{row['yes']}{row['no']}{row['abstain']}" in compact, row


def test_announcement_lists_the_elected_in_stroke_order(sealed):
    rnd, result, client = sealed
    response = client.get(f"/api/results/rounds/{rnd.round_id}/announcement.pdf")
    assert response.status_code == 200
    text = _pages(response.data)[0]
    elected = [p["name"] for p in result["result"]["elected"]]
    assert elected == sort_by_name(["孔明", "王红", "毛泽"], lambda n: n) == ["王红", "毛泽", "孔明"]
    positions = [text.index(padded(name)) for name in elected]  # 王红 is printed 王　红
    assert positions == sorted(positions)
    assert "方圆" not in text and "方　圆" not in text
    assert "当选名单公告" in text


def test_tally_csv_has_every_person_and_the_digest(sealed):
    rnd, result, client = sealed
    response = client.get(f"/api/results/rounds/{rnd.round_id}/tally.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["contest", "round", "ref", "name"]
    people = {row[3]: row for row in rows[1:] if len(row) == 10}
    assert set(people) == set(NAMES)
    assert people["王红"][5:8] == ["9", "0", "1"]
    assert ["digest", result["digest"]] in rows


def test_congress_report_for_the_higher_union(sealed):
    rnd, result, client = sealed
    congress = rnd.congress_id
    response = client.get(f"/api/results/congresses/{congress}/report.pdf")
    assert response.status_code == 200
    pages = _pages(response.data)
    assert len(pages) >= 2
    assert "报上一级工会审批" in pages[0]
    assert "第五届工会委员会委员" in pages[0]
    names = [line.split()[1] for line in pages[0].splitlines()
             if line[:1].isdigit() and len(line.split()) > 1]
    assert names[:3] == ["王红", "毛泽", "孔明"]  # the elected, in stroke order
    assert "计票结果报告单" in "".join(pages[1:])


def test_reports_wait_for_the_seal_and_are_not_for_tellers(app, sealed):
    rnd, _result, _client = sealed
    db = connect(app.config["DATABASE"])
    other = make_round(db, app.config["BALLOT_KEY"], names=["甲一", "乙二"], seats=1)
    scrutineer = app.test_client()
    sign_in(scrutineer, "scrutineer")
    response = scrutineer.get(f"/api/results/rounds/{other.round_id}/report.pdf")
    assert response.status_code == 409
    assert "尚未封存" in response.json["error"]["message"]
    teller = app.test_client()
    sign_in(teller, "teller1")
    for path in ("report.pdf", "announcement.pdf", "tally.csv", "export"):
        assert teller.get(f"/api/results/rounds/{rnd.round_id}/{path}").status_code == 403
    assert app.test_client().get(f"/api/results/rounds/{rnd.round_id}/report.pdf").status_code == 401
    db.close()


def test_size_band_warning_is_only_for_the_committee(app):
    """R8 concerns the committee's size: a chair contest's report carries no size warning."""
    db = connect(app.config["DATABASE"])
    chair = make_round(db, app.config["BALLOT_KEY"], names=["王红"], seats=1, method="equal",
                       office="chair", members=500, title="工会主席")
    chair.votes(10, {"c1": "yes"})
    chair.enter_counts(10, 10)
    assert seal(db, chair.round_id, SIGNATURES, "chief_scrutineer:chief")["result"]["size_warning"] is None
    small = make_round(db, app.config["BALLOT_KEY"], names=["王红", "李明", "张伟"], seats=2,
                       office="committee", members=500)
    small.votes(10, {"c1": "yes", "c2": "yes"})
    small.enter_counts(10, 10)
    warning = seal(db, small.round_id, SIGNATURES, "chief_scrutineer:chief")["result"]["size_warning"]
    assert "7 至 15" in warning
    text = "".join(_pages(count_report_pdf(db, small.round_id)))
    assert "7 至 15" in text.replace("\r", "").replace("\n", "")
    db.close()
