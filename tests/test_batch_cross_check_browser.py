"""The scrutineers' cross-check in headless Chromium against the real server: a round
read both by the tablets and through the copier, where one ballot's two readings
differ. The chief scrutineer gets there by clicking only (their page → counting by
copier scan → the cross-check link) and sees that ballot's row: serial, page, the
candidate and both readings in words."""

from __future__ import annotations

import os
import time
from pathlib import Path

import make_scan_deck
import pytest
from batch_support import Hall, open_live_hall

from tests.support.browser import sign_in
from tests.support.http import signed_in_client

pytestmark = pytest.mark.browser

SIZES = [(768, 1024), (1024, 768), (1366, 768), (1920, 1080)]
WORDS = {"yes": "赞成", "no": "不赞成", "abstain": "弃权"}


def _read_by_the_scanner(live_server, hall: Hall, stack: Path) -> list[dict]:
    """The stack uploaded by a teller and read by the server; its staged pages."""
    teller = signed_in_client(live_server.url, "teller1")
    with stack.open("rb") as handle:
        response = teller.post(f"/api/rounds/{hall.round_id}/scan-batches",
                               files={"file": (stack.name, handle, "application/pdf")})
    assert response.status_code == 202, response.text
    batch_id = response.json()["id"]
    deadline = time.monotonic() + 180
    while True:
        batch = teller.get(f"/api/scan-batches/{batch_id}").json()
        if batch["state"] != "reading" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert batch["state"] == "ready", batch
    return [dict(p, batch_id=batch_id) for p in batch["page_list"]]


def test_the_chief_scrutineer_clicks_to_the_readings_that_differ(page, live_server, tmp_path):
    hall = open_live_hall(live_server, 6)
    stack = tmp_path / "copier.pdf"
    make_scan_deck.write_stack(stack, hall.layout, hall.ballots(hall.serials[:4]), seed=5, blanks=0,
                               foreign=0, copier=make_scan_deck.Copier(upside_down=0.0),
                               write_in_share=0.0)
    pages = _read_by_the_scanner(live_server, hall, stack)
    clean = [p for p in pages if not p["refused"] and not p["needs_person"]]
    assert len(clean) >= 2, [(p["page"], p["refused"], p["review"]) for p in pages]
    same, other = clean[0], clean[1]
    # The tablets read `same` as the scanner did and `other` differently on one candidate.
    ref = hall.refs[0]
    tablet_mark = "no" if other["marks"][ref] != "no" else "yes"
    tablet = signed_in_client(live_server.url, "teller2")
    for scanned, marks in ((same, same["marks"]), (other, {**other["marks"], ref: tablet_mark})):
        response = tablet.post(f"/api/rounds/{hall.round_id}/ballots",
                               json={"serial": scanned["serial"], "marks": marks,
                                     "client_id": f"tab-{scanned['page']:06d}"})
        assert response.json()["status"] == "added", response.text
    confirmed = signed_in_client(live_server.url, "teller1").post(
        f"/api/scan-batches/{other['batch_id']}/confirm").json()
    assert confirmed["duplicate"] == 1 and confirmed["conflict"] == 1, confirmed

    sign_in(page, live_server.url, "chief", "**/scrutineer")
    page.click("a[href='/batch']")
    page.wait_for_url("**/batch")
    page.wait_for_selector(f"#round-select option[value='{hall.round_id}']", state="attached")
    page.select_option("#round-select", str(hall.round_id))
    page.wait_for_function(
        f"document.querySelector('#cross-link').getAttribute('href').includes('/rounds/{hall.round_id}/')")
    page.click("#cross-link")
    page.wait_for_url(f"**/batch/rounds/{hall.round_id}/cross-check")

    assert "两种方式都读过的选票：2 张" in page.text_content("main")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1  # one ballot, one candidate on which the readings differ
    cells = [text.strip() for text in rows.first.locator("td").all_text_contents()]
    name = next(c["name"] for c in hall.layout["candidates"] if c["ref"] == ref)
    assert cells == [other["serial"], f"第 {other['page']} 页copier.pdf", name,
                     WORDS[tablet_mark], WORDS[other["marks"][ref]]]
    assert same["serial"] not in page.text_content("main")

    shots = Path(os.environ.get("BATCH_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"batch-cross-check-{width}x{height}.png"), full_page=True)
