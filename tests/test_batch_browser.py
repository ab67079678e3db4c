"""The copier page in headless Chromium against the real server: a teller uploads a
scanned stack, watches it being read, reviews the grid, confirms the clean pages in one
action and the others one by one with taps; the round is counted, each ballot once."""

from __future__ import annotations

import os
from pathlib import Path

import make_scan_deck
import pytest
from batch_support import open_live_hall
from test_counting_support import PASSWORD, live_db

pytestmark = pytest.mark.browser

SIZES = [(768, 1024), (1024, 768), (1366, 768), (1920, 1080)]


def _count(live_server, sql: str, *args) -> int:
    db = live_db(live_server)
    try:
        return db.execute(sql, list(args)).fetchone()[0]
    finally:
        db.close()


def test_upload_progress_review_confirm(page, live_server, tmp_path):
    hall = open_live_hall(live_server, 8)
    stack = tmp_path / "copier.pdf"
    truths = make_scan_deck.write_stack(stack, hall.layout, hall.ballots(hall.serials[:6]) +
                                        hall.ballots([hall.serials[2]]), seed=21, blanks=1, foreign=1,
                                        copier=make_scan_deck.Copier(upside_down=0.3), write_in_share=0.15)
    ballots = [t for t in truths if t.kind == "ballot"]

    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", "teller1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/teller")
    page.click("a[href='/batch']")  # the teller's page links here
    page.wait_for_url("**/batch")
    page.wait_for_selector(f"#round-select option[value='{hall.round_id}']", state="attached")
    page.select_option("#round-select", str(hall.round_id))
    page.set_input_files("#file-input", str(stack))
    page.click("#upload-button")
    page.wait_for_selector("#progress-card:not([hidden])")
    page.wait_for_selector("#review-card:not([hidden])", timeout=180_000)
    assert "9" in page.text_content("#progress-text")
    assert page.locator("#page-grid .tile").count() == 9
    assert page.locator("#page-grid .tile.refused").count() == 2  # the foreign page and the repeat
    assert page.locator("#page-grid .tile.blank").count() == 1  # a blank back, skipped
    assert _count(live_server, "SELECT count(*) FROM ballot") == 0  # nothing counted yet
    review_name = page.text_content("#review-name")
    assert "copier.pdf" in review_name and "上传" in review_name and "#" not in review_name  # no batch id

    shots = Path(os.environ.get("BATCH_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"batch-review-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    clean = page.locator("#page-grid .tile.clean").count()
    assert clean >= 1
    page.click("#confirm-clean")
    page.wait_for_function("document.querySelector('#review-summary').textContent.includes('已计入')")
    assert _count(live_server, "SELECT count(*) FROM ballot") == clean

    checked = 0
    page.click("#check-next")
    while page.is_visible("#check-card"):
        title = page.text_content("#check-title")
        number = int(title.split("第")[1].split("页")[0].strip())
        truth = truths[number - 1]
        if checked == 0:
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                page.eval_on_selector("#check-card", "card => card.scrollIntoView()")
                page.screenshot(path=str(shots / f"batch-check-{width}x{height}.png"), full_page=False)
            page.set_viewport_size({"width": 1280, "height": 900})
        for row in page.locator("#check-marks tr.unsure").all():
            ref = row.get_attribute("data-ref")
            mark = truth.marks[ref] if truth.marks[ref] in ("yes", "no", "abstain") else "unreadable"
            row.locator(f"button[data-value='{mark}']").click()
        for holder in page.locator("#check-write-ins .write-in").all():
            # rows are numbered for people from 1, as they count them on the sheet
            assert int(holder.locator("strong").text_content().split("第")[1].split("行")[0]) >= 1
            holder.locator("input.wi-name").fill("张三")
            if not holder.get_attribute("data-mark"):
                holder.locator("button[data-value='none']").click()
        page.click("#check-confirm")
        page.wait_for_function(
            f"!document.querySelector('#check-title').textContent.includes('第 {number} 页')"
            " || document.querySelector('#check-card').hidden")
        checked += 1
        assert checked <= len(ballots)
    assert clean + checked == len(ballots) - 1  # every sheet but the repeat
    assert _count(live_server, "SELECT count(*) FROM ballot") == len({t.serial for t in ballots})
    assert _count(live_server, "SELECT count(*) FROM ballot_submission") == len({t.serial for t in ballots})
    assert page.locator("#page-grid .tile.check").count() == 0

    page.goto(f"{live_server.url}/batch/1/rejects")
    text = page.text_content("main")
    assert "不是选票" in text and "重复" in text
    assert "#" not in text and "copier.pdf" in text  # the file names the batch, not its id
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"batch-rejects-{width}x{height}.png"), full_page=True)
