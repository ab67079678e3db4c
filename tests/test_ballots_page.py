"""The secretariat's ballot page in a real browser (headless Chromium) against the real
server: print a round's ballots with the progress bar, download the PDF and read its QR,
void a spare by typing its code; the chief scrutineer enters R and sees R2 live."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from playwright.sync_api import expect

from app.ballots.serials import parse_and_verify
from app.store import connect
from tests.support.browser import sign_in


def test_secretariat_prints_downloads_and_voids_and_the_chief_enters_r(live_server, page, browser,
                                                                       tmp_path):
    instance = Path(live_server.instance)
    db = connect(instance / "union.sqlite3")
    round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                          [live_server.demo["contest_ids"]["committee"]]).fetchone()[0]
    # `flask --app app demo` leaves round 1 open, ready to print and count.
    assert db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()[0] == "open"
    db.close()
    key = (instance / "ballot_key").read_text().strip()

    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/ballots")
    expect(page.locator("h1")).to_have_text("选票印制与发放")
    expect(page.locator("#round-select")).to_have_value(str(round_id))  # the open round
    page.fill("#print-count", "3")
    page.click("#print-go")
    expect(page.locator("#print-download")).to_be_visible(timeout=30_000)
    expect(page.locator("#print-download")).to_have_text("下载 PDF（第 1 批）")
    expect(page.locator("#print-progress")).to_have_attribute("value", "3")
    expect(page.locator("#print-status")).to_have_text("已生成 3 / 3 张")
    expect(page.locator("#fig-printed")).to_have_text("3")
    # The batch is named in words, numbered within the round, never by a stored id.
    expect(page.locator("#batches li")).to_have_text(
        re.compile(r"^第 1 批：印制 3 张，\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）$"))
    with page.expect_download() as download:
        page.click("#print-download")
    saved = tmp_path / "ballots.pdf"
    download.value.save_as(saved)
    pdf = pdfium.PdfDocument(saved)
    assert len(pdf) == 3
    text = zxingcpp.read_barcodes(pdf[0].render(scale=2).to_pil())[0].text
    serial = parse_and_verify(key, text).serial
    page.click("#print-delete")  # the PDF lists serials in stacking order: delete it (R10)
    expect(page.locator("#print-download")).to_be_hidden()
    assert list((instance / "print_jobs").glob("*.pdf")) == []

    # A spare ballot voided by typing its code as a person would (lower case, no dash).
    page.fill("#void-code", serial.replace("-", "").lower())
    page.press("#void-code", "Enter")
    expect(page.locator("#fig-voided")).to_have_text("1")
    expect(page.locator("#fig-issued")).to_have_text("2")
    page.fill("#void-code", serial)
    page.press("#void-code", "Enter")
    expect(page.locator("#void-error")).to_contain_text("已作废")
    # Only the chief scrutineer enters R: the secretariat's field is disabled.
    expect(page.locator("#returned-input")).to_be_disabled()

    chief = browser.new_context(locale="zh-CN").new_page()
    sign_in(chief, live_server.url, "chief")
    chief.goto(f"{live_server.url}/admin/ballots")
    expect(chief.locator("#print-go")).to_be_disabled()
    expect(chief.locator("#fig-r2")).to_have_text("待总监票人填写收回张数")
    chief.fill("#returned-input", "3")
    chief.press("#returned-input", "Enter")
    expect(chief.locator("#fig-r2")).to_contain_text("无效")  # R2: 3 returned > 2 issued
    chief.fill("#returned-input", "2")
    chief.press("#returned-input", "Enter")
    expect(chief.locator("#fig-r2")).to_have_text("有效")
    chief.context.close()
    # The secretariat's page follows without a reload.
    expect(page.locator("#fig-returned")).to_have_text("2", timeout=10_000)

