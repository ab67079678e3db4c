"""The hall's board in a real browser against the real server (issue 6): a ballot recorded
by a teller shows on the board within a second, the board reconnects by itself when its
event stream fails, counting complete is shown clearly, and
the chief scrutineer seals on the closing page — the board then shows the sealed result
and its digest. Then the presiding officer's announcement is there to print."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.counting.record import Teller, record
from app.store import connect, write_transaction
from tests.conftest import DEMO_PASSWORD
from tests.test_results_support import print_serials

pytestmark = pytest.mark.browser


def _yes_of(page, round_id: int, ref: str) -> str | None:
    return page.evaluate(
        "([round, ref]) => { const row = document.querySelector("
        "`section[data-round=\"${round}\"] .person[data-ref=\"${ref}\"]`);"
        " return row ? row.dataset.yes : null; }", [round_id, ref])


def test_recorded_ballot_reaches_the_board_within_a_second_then_the_round_is_sealed(live_server, browser):
    instance = Path(live_server.instance)
    db = connect(instance / "union.sqlite3")
    key = (instance / "ballot_key").read_text().strip()
    congress = live_server.demo["congress_id"]
    contest = live_server.demo["contest_ids"]["chair"]  # 工会主席: one seat, one candidate
    round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1", [contest]).fetchone()[0]
    # `flask --app app demo` leaves round 1 open, ready to print and count.
    assert db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()[0] == "open"
    serials = print_serials(db, round_id, 70)

    hall = browser.new_context(locale="zh-CN", viewport={"width": 1600, "height": 900},
                               bypass_csp=True).new_page()  # CSP forbids eval; see conftest
    # The first connection of the event stream fails (as when the hall's Wi-Fi or the server
    # hiccups): the board says so and connects again by itself.
    attempts: list[str] = []

    def flaky_stream(route):
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    hall.route("**/api/results/board/stream*", flaky_stream)
    hall.goto(f"{live_server.url}/board?congress={congress}")
    hall.wait_for_selector("#board-link[data-state=live]")
    assert len(attempts) >= 2
    hall.wait_for_selector(f"section[data-round='{round_id}'] .person[data-ref=c1]")
    assert _yes_of(hall, round_id, "c1") == "0"
    hall.wait_for_timeout(300)  # the stream is idle, waiting for a change

    record(db, round_id, serials[0], {"c1": "yes"}, [], False, None, Teller(None, "teller:test"),
           ballot_key=key)
    hall.wait_for_function(
        f"document.querySelector(\"section[data-round='{round_id}'] .person[data-ref=c1]\")"
        ".dataset.yes === '1'", timeout=5000)  # pushed by the stream, not a page reload
    assert hall.inner_text(f"section[data-round='{round_id}'] .person[data-ref=c1] [data-field=yes]") == "1"

    record(db, round_id, serials[1], {"c1": "yes"}, [], False, None, Teller(None, "teller:test"),
           ballot_key=key)
    hall.wait_for_function(
        f"document.querySelector(\"section[data-round='{round_id}'] .person[data-ref=c1]\")"
        ".dataset.yes === '2'", timeout=5000)

    # The rest of the box: 59 yes, 4 no. E = 120, so 61 approvals just elect (R4). Then R.
    with write_transaction(db):
        for index, serial in enumerate(serials[2:65]):
            record(db, round_id, serial, {"c1": "yes" if index % 16 else "no"}, [], False, None,
                   Teller(None, "teller:test"), ballot_key=key)
        db.execute("UPDATE round SET ballots_issued = 68, ballots_returned = 65 WHERE id = ?", [round_id])
    hall.wait_for_selector(f"section[data-round='{round_id}'][data-complete=true] .banner")
    assert "计票完成" in hall.inner_text(f"section[data-round='{round_id}'] .banner")

    # The chief scrutineer signs and seals on the closing page.
    chief = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
    chief.goto(f"{live_server.url}/login")
    chief.fill("input[name=username]", "chief")
    chief.fill("input[name=password]", DEMO_PASSWORD)
    chief.click("button[type=submit]")
    chief.wait_for_url(lambda url: "/login" not in url)
    chief.goto(f"{live_server.url}/board?congress={congress}")  # officials get a link per round
    assert not hall.query_selector("a.close-link")  # the hall does not
    chief.click(f"section[data-round='{round_id}'] a.close-link")
    chief.wait_for_url(f"**/board/rounds/{round_id}/close")
    chief.wait_for_selector("#signing:not([hidden]) #signers input")
    for box in chief.query_selector_all("#signers input"):
        box.check()
    chief.click("#seal")
    chief.wait_for_selector("#after-seal:not([hidden])")
    assert db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()[0] == "sealed"
    digest = db.execute("SELECT digest FROM round WHERE id = ?", [round_id]).fetchone()[0]

    hall.wait_for_selector(f"section[data-round='{round_id}'][data-state=sealed] .banner .digest")
    shown = hall.inner_text(f"section[data-round='{round_id}'] .banner .digest")
    assert shown.replace("-", "") == digest[:16].upper()
    banner = hall.inner_text(f"section[data-round='{round_id}'] .banner")
    elected = db.execute("SELECT c.name FROM candidate c WHERE c.contest_id = ?", [contest]).fetchone()[0]
    assert "已封存" in banner and elected in banner

    # The announcement for the presiding officer, from the link on the closing page.
    href = chief.get_attribute("#report-announcement", "href")
    response = chief.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    db.close()
