"""The ballots API through the Flask test client: layout, print jobs, spare ballots,
issuance accounting; roles, bad input and nothing half-written."""

from __future__ import annotations

import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from app.ballots import issue
from app.ballots.round_layout import layout_digest, round_layout
from app.ballots.serials import parse_and_verify, sign
from tests import test_ballots_support as support

ballot_template, ballot_hall = support.ballot_template, support.ballot_hall  # shared fixtures


def wait_for_job(client, job_id: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/print-jobs/{job_id}").json
        if job["state"] != "running":
            return job
        time.sleep(0.1)
    raise AssertionError(f"print job {job_id} did not finish")


def serial_count(hall) -> int:
    return hall.db().execute("SELECT count(*) FROM ballot_serial").fetchone()[0]


def test_admin_prints_in_the_background_and_downloads_the_pdf_the_layout_describes(ballot_hall):
    rid = ballot_hall.rounds["committee"]
    admin = ballot_hall.client("admin")
    started = admin.post(f"/api/rounds/{rid}/print-jobs", json={"count": 2})
    assert started.status_code == 202, started.json
    job = wait_for_job(admin, started.json["id"])
    assert (job["state"], job["done"], job["count"], job["batch"]) == ("done", 2, 2, 1)
    download = admin.get(job["download_url"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    pdf = pdfium.PdfDocument(download.data)
    assert len(pdf) == 2
    image = pdf[1].render(scale=2).to_pil()
    text = zxingcpp.read_barcodes(image)[0].text
    payload = parse_and_verify(ballot_hall.key, text)
    assert (payload.contest_id, payload.round_id) == (ballot_hall.demo["contest_ids"]["committee"], rid)
    # The layout JSON that the reader and the tablet get is the one the PDF was drawn from.
    served = ballot_hall.client("teller1").get(f"/api/rounds/{rid}/layout")
    assert served.status_code == 200
    assert served.json == round_layout(ballot_hall.db(), rid)
    figures = admin.get(f"/api/rounds/{rid}/issuance").json
    assert figures["batches"][0]["layout_sha256"] == layout_digest(served.json)
    assert (figures["printed"], figures["issued"], figures["returned"]) == (2, 2, None)
    # Once downloaded, the PDF (serials in stacking order) is gone from the server (R10),
    # and a second download is refused with a clear message.
    folder = Path(ballot_hall.app.config["INSTANCE_DIR"]) / "print_jobs"
    assert not (folder / f"{job['id']}.pdf").exists()
    again = admin.get(job["download_url"])
    assert again.status_code == 410 and "删除" in again.json["error"]["message"]
    assert admin.get(f"/api/print-jobs/{job['id']}").json["download_url"] is None
    assert ballot_hall.client("chief").delete(f"/api/print-jobs/{job['id']}").status_code == 403
    assert admin.delete(f"/api/print-jobs/{job['id']}").status_code == 204
    assert list(folder.iterdir()) == []
    assert admin.get(job["download_url"]).status_code == 404
    assert admin.get(f"/api/rounds/{rid}/issuance").json["printed"] == 2  # the serials stay


def test_the_layout_is_in_millimetres_with_candidates_in_stroke_order(ballot_hall):
    rid = ballot_hall.rounds["committee"]
    layout = ballot_hall.client("scrutineer").get(f"/api/rounds/{rid}/layout").json
    assert (layout["unit"], layout["page"]) == ("mm", {"width": 210.0, "height": 297.0})
    assert len(layout["marks"]) == 4 and set(layout["qr"]) == {"x", "y", "w", "h"}
    assert len(layout["candidates"]) == 10 and len(layout["write_ins"]) == 5  # min(5, seats 9)
    assert layout["contest_id"] == ballot_hall.demo["contest_ids"]["committee"]


def test_a_teller_cannot_print_and_anonymous_users_must_sign_in(ballot_hall):
    rid = ballot_hall.rounds["committee"]
    refused = ballot_hall.client("teller1").post(f"/api/rounds/{rid}/print-jobs", json={"count": 5})
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "forbidden_role"
    anonymous = ballot_hall.client()
    anonymous.environ_base["HTTP_X_CSRFTOKEN"] = anonymous.get("/api/session").json["csrf_token"]
    assert anonymous.post(f"/api/rounds/{rid}/print-jobs", json={"count": 5}).status_code == 401
    assert anonymous.get(f"/api/rounds/{rid}/layout").status_code == 401
    assert anonymous.get(f"/api/rounds/{rid}/issuance").status_code == 401
    assert ballot_hall.client("chief").post(f"/api/rounds/{rid}/print-jobs",
                                            json={"count": 5}).status_code == 403
    assert serial_count(ballot_hall) == 0


@pytest.mark.parametrize("body, field", [  # the field as the form calls it; an unknown one by its key
    ({}, "Number of ballots"), ({"count": 0}, "Number of ballots"), ({"count": 5001}, "Number of ballots"),
    ({"count": "5"}, "Number of ballots"), ({"count": 2.5}, "Number of ballots"),
    ({"count": 3, "copies": 2}, "copies"),
])
def test_a_bad_print_request_is_a_422_naming_the_field(ballot_hall, body, field):
    rid = ballot_hall.rounds["committee"]
    response = ballot_hall.client("admin").post(f"/api/rounds/{rid}/print-jobs?lang=en", json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_input"
    assert field in response.json["error"]["message"]
    assert serial_count(ballot_hall) == 0


def test_printing_a_draft_or_missing_round_is_refused_in_the_users_language(ballot_hall):
    admin = ballot_hall.client("admin")
    draft = admin.post(f"/api/rounds/{ballot_hall.draft_round}/print-jobs", json={"count": 2})
    assert draft.status_code == 409
    assert draft.json["error"]["code"] == "round_not_open"
    assert "进行中的轮次" in draft.json["error"]["message"]
    missing = admin.post("/api/rounds/9999/print-jobs?lang=en", json={"count": 2})
    assert missing.status_code == 404
    assert missing.json["error"]["message"] == "That round does not exist."
    assert admin.get("/api/rounds/9999/layout").status_code == 404
    assert serial_count(ballot_hall) == 0


def test_an_unknown_or_unfinished_job_is_a_clear_4xx(ballot_hall):
    admin = ballot_hall.client("admin")
    assert admin.get("/api/print-jobs/0123456789abcdef").status_code == 404
    assert admin.get("/api/print-jobs/..%2f..%2fsecret_key").status_code == 404
    assert admin.get("/api/print-jobs/0123456789abcdef/pdf").status_code == 404
    assert ballot_hall.client("teller1").get("/api/print-jobs/0123456789abcdef").status_code == 403


def test_spares_are_voided_by_scan_and_by_count_and_the_chief_enters_r(ballot_hall):
    db, rid, key = ballot_hall.db(), ballot_hall.rounds["committee"], ballot_hall.key
    contest_id = ballot_hall.demo["contest_ids"]["committee"]
    serials = issue.issue_serials(db, rid, 6, "test").serials
    chief = ballot_hall.client("chief")
    scanned = chief.post(f"/api/rounds/{rid}/spares/void",
                         json={"payload": sign(key, contest_id, rid, serials[0]).text()})
    assert scanned.status_code == 200, scanned.json
    assert scanned.json["serial"] == serials[0]
    typed = ballot_hall.client("admin").post(f"/api/rounds/{rid}/spares/void",
                                             json={"code": serials[1].lower()})
    assert typed.json["accounting"]["voided_scanned"] == 2
    again = chief.post(f"/api/rounds/{rid}/spares/void?lang=en", json={"code": serials[1]})
    assert again.status_code == 409 and again.json["error"]["code"] == "voided"
    assert serials[1] in again.json["error"]["message"]
    counted = chief.put(f"/api/rounds/{rid}/spares/count", json={"voided_by_count": 1}).json
    assert (counted["voided"], counted["issued"]) == (3, 3)
    assert ballot_hall.client("admin").put(f"/api/rounds/{rid}/returned",
                                           json={"returned": 3}).status_code == 403
    returned = chief.put(f"/api/rounds/{rid}/returned", json={"returned": 4})
    assert returned.status_code == 200
    assert (returned.json["returned"], returned.json["round_valid"]) == (4, False)  # R2: R > I
    issued = chief.put(f"/api/rounds/{rid}/issued", json={"issued": 4}).json
    assert (issued["issued"], issued["issued_entered"], issued["round_valid"]) == (4, True, True)
    shown = ballot_hall.client("teller2").get(f"/api/rounds/{rid}/issuance").json
    assert (shown["issued"], shown["returned"], shown["round_valid"]) == (4, 4, True)


@pytest.mark.parametrize("url, body", [
    ("spares/void", {}),
    ("spares/void", {"code": "ABCDE-FGHJK", "payload": "UB1:x"}),
    ("spares/void", {"code": ""}),
    ("spares/count", {"voided_by_count": -1}),
    ("spares/count", {"voided_by_count": "2"}),
    ("returned", {"returned": None}),
    ("returned", {}),
    ("issued", {"issued": -3}),
])
def test_bad_figures_are_refused_and_change_nothing(ballot_hall, url, body):
    rid = ballot_hall.rounds["committee"]
    before = ballot_hall.client("chief").get(f"/api/rounds/{rid}/issuance").json
    method = "post" if url == "spares/void" else "put"
    response = getattr(ballot_hall.client("chief"), method)(f"/api/rounds/{rid}/{url}", json=body)
    assert response.status_code == 422, response.json
    assert response.json["error"]["message"].startswith("输入有误")
    assert ballot_hall.client("chief").get(f"/api/rounds/{rid}/issuance").json == before


def test_voiding_a_forged_or_unknown_code_says_why(ballot_hall):
    db, rid = ballot_hall.db(), ballot_hall.rounds["committee"]
    contest_id = ballot_hall.demo["contest_ids"]["committee"]
    serial = issue.issue_serials(db, rid, 1, "test").serials[0]
    chief = ballot_hall.client("chief")
    forged = chief.post(f"/api/rounds/{rid}/spares/void",
                        json={"payload": sign("forger", contest_id, rid, serial).text()})
    assert (forged.status_code, forged.json["error"]["code"]) == (422, "bad_tag")
    assert "伪造" in forged.json["error"]["message"]
    unknown = chief.post(f"/api/rounds/{rid}/spares/void", json={"code": "ZZZZZ-ZZZZZ"})
    assert (unknown.status_code, unknown.json["error"]["code"]) == (409, "never_printed")
    assert issue.accounting(db, rid)["voided"] == 0


def test_the_rounds_list_names_each_contest_and_state(ballot_hall):
    rounds = ballot_hall.client("teller1").get("/api/ballot-rounds").json
    states = {row["round_id"]: row["state"] for row in rounds}
    assert states[ballot_hall.rounds["committee"]] == "open"
    assert states[ballot_hall.draft_round] == "draft"
    assert {row["contest_title"] for row in rounds} >= {"第五届工会委员会委员", "工会主席"}


def test_the_ballot_page_is_for_the_secretariat_and_scrutineers(ballot_hall):
    assert ballot_hall.client("admin").get("/admin/ballots").status_code == 200
    assert ballot_hall.client("chief").get("/admin/ballots").status_code == 200
    refused = ballot_hall.client("teller1").get("/admin/ballots")
    assert refused.status_code == 403
    assert "此页面仅供大会秘书处和监票人使用。" in refused.get_data(as_text=True)
    anonymous = ballot_hall.client().get("/admin/ballots")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_openapi_document_describes_the_ballot_endpoints(ballot_hall):
    doc = ballot_hall.client().get("/api/openapi.json").json
    paths = doc["paths"]
    assert "/api/rounds/{round_id}/layout" in paths
    assert set(paths["/api/print-jobs/{job_id}"]) >= {"get", "delete"}
    post = paths["/api/rounds/{round_id}/print-jobs"]["post"]
    assert {"202", "403", "422"} <= set(post["responses"])
    layout = paths["/api/rounds/{round_id}/layout"]["get"]["responses"]["200"]
    assert layout["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Layout"}
    assert {"qr", "marks", "candidates", "write_ins"} <= set(doc["components"]["schemas"]["Layout"]
                                                            ["properties"])
