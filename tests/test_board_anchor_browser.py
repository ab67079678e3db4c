"""The hall board shows each sealed round's paper anchor (issue 16): the audit head and the
ballot digest as text and as a QR code. A phone pointed at the screen gets exactly what
`verify-audit --head` and `recount --digest` accept; at 1024×768 the anchor crowds
nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from app.results.export import export_record
from app.results.sealing import seal
from app.security.anchor import round_anchor, short_head
from app.store import connect
from tests.test_board_layout_browser import LAYOUT_JS
from tests.test_board_support import build_hall
from tests.test_results_support import SIGNATURES

pytestmark = pytest.mark.browser


def _hall(live_server):
    instance = Path(live_server.instance)
    db = connect(instance / "union.sqlite3")
    key = (instance / "ballot_key").read_text().strip()
    hall = build_hall(db, key)
    seal(db, hall.committee_round, SIGNATURES, "test")
    return db, hall


def _payload(text: str) -> dict[str, str]:
    lines = text.splitlines()
    assert lines[0] == "UNION-ANCHOR/1", text
    return dict(line.split("=", 1) for line in lines[1:])


def test_board_qr_reads_back_as_what_the_checks_accept(live_server, browser, tmp_path):
    db, hall = _hall(live_server)
    anchor = round_anchor(db, hall.committee_round)
    page = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080},
                               bypass_csp=True).new_page()  # CSP forbids eval; see conftest
    page.goto(f"{live_server.url}/board?congress={hall.congress_id}")
    section = f"section[data-round='{hall.committee_round}']"
    page.wait_for_selector(f"{section}[data-state=sealed] .anchor-qr")
    page.wait_for_function("document.querySelector('.anchor-qr').naturalWidth > 0")
    # The text, as the signed report prints it (short forms the checks also take).
    shown_head = page.inner_text(f"{section} [data-field=audit_head]")
    shown_digest = page.inner_text(f"{section} [data-field=digest]")
    assert shown_head == short_head(anchor["audit_head"])
    assert shown_digest.replace("-", "").lower() == anchor["digest"][:16]

    # Read the QR code off the screen, as a phone in the hall would.
    qr = page.locator(f"{section} .anchor-qr")
    qr.scroll_into_view_if_needed()
    shot = Image.open(io.BytesIO(page.screenshot()))
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 180  # about 4 px a module at 1920 wide
    codes = zxingcpp.read_barcodes(shot)
    assert len(codes) == 1 and codes[0].format == zxingcpp.BarcodeFormat.QRCode
    values = _payload(codes[0].text)
    assert anchor["audit_head"].startswith(values["head"]) and anchor["digest"].startswith(values["digest"])

    # What the QR code says is what the paper checks take.
    checked = live_server.run_flask("verify-audit", "--head", values["head"])
    assert checked.returncode == 0, checked.stderr
    checked = live_server.run_flask("verify-audit", "--head", shown_head)
    assert checked.returncode == 0, checked.stderr
    record = tmp_path / "record.json"
    record.write_text(json.dumps(export_record(db, hall.committee_round), ensure_ascii=False))
    recounted = live_server.run_flask("recount", str(record), "--digest", values["digest"])
    assert recounted.returncode == 0, recounted.stderr
    recounted = live_server.run_flask("recount", str(record), "--digest", shown_digest)
    assert recounted.returncode == 0, recounted.stderr
    db.close()


def test_anchor_fits_beside_the_result_at_1024_and_is_only_for_sealed_rounds(live_server, browser):
    db, hall = _hall(live_server)
    page = browser.new_context(locale="en", viewport={"width": 1024, "height": 768}).new_page()
    page.goto(f"{live_server.url}/board?congress={hall.congress_id}&lang=en")
    page.wait_for_selector(f"section[data-round='{hall.committee_round}'][data-state=sealed] .anchor-qr")
    layout = page.evaluate(LAYOUT_JS)
    assert layout["problems"] == []
    # The QR code covers no text of the board.
    overlaps = page.evaluate("""() => {
      const qr = document.querySelector('.anchor-qr').getBoundingClientRect();
      const hits = [];
      for (const el of document.querySelectorAll('#board .figure, #board .person, #board .banner-main p')) {
        const r = el.getBoundingClientRect();
        if (Math.min(r.right, qr.right) - Math.max(r.left, qr.left) > 1 &&
            Math.min(r.bottom, qr.bottom) - Math.max(r.top, qr.top) > 1) hits.push(el.textContent);
      }
      return hits;
    }""")
    assert overlaps == []
    sealed = page.locator("section[data-state=sealed]").count()
    assert sealed == 2 and page.locator(".anchor-qr").count() == sealed  # open rounds have none
    assert page.locator("section[data-state=open] .anchor-qr").count() == 0
    assert page.request.get(f"{live_server.url}/board/rounds/{hall.many_round}/anchor.svg").status == 404
    svg = page.request.get(f"{live_server.url}/board/rounds/{hall.committee_round}/anchor.svg")
    assert svg.status == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    db.close()
