"""The Content-Security-Policy forbids inline scripts, inline handlers and inline styles
(issue 16: `script-src 'self'; style-src 'self'`, no 'unsafe-inline'). A real Chromium,
WITHOUT bypass_csp, signs in as each role through the sign-in page and opens every page
(the board, the close page, the teller and scrutineer pages, the enrollment link): any
`securitypolicyviolation` event or CSP console error fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.store import connect
from tests.conftest import DEMO_PASSWORD, LiveServer

pytestmark = pytest.mark.browser

# Recorded from the first script that runs on the page (init scripts are not subject to CSP).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI || "inline"} `
                    + `${event.sourceFile || location.pathname}:${event.lineNumber}`);
});
"""

ROLES = ("admin", "chief", "scrutineer", "teller1")


@pytest.fixture
def plenary_server(tmp_path: Path):
    """The demo with its committee election held and sealed (`demo --plenary`), so the
    board and the close page show a sealed round as well as open ones."""
    instance = tmp_path / "csp-instance"
    instance.mkdir()
    server = LiveServer(instance)
    server.run_flask("demo", "--plenary")
    server.start()
    yield server
    server.stop()


def _pages(live_server) -> list[str]:
    db = connect(f"{live_server.instance}/union.sqlite3")
    round_id = db.execute("SELECT id FROM round WHERE state = 'sealed' ORDER BY id").fetchone()[0]
    open_round = db.execute("SELECT id FROM round WHERE state = 'open' ORDER BY id").fetchone()
    db.close()
    pages = ["/", "/admin", "/admin/roster", "/admin/attendance", "/admin/attendance/report",
             "/admin/contests", "/admin/officials", "/admin/ballots", "/admin/users", "/batch",
             f"/batch/rounds/{round_id}/cross-check", "/scrutineer", "/teller", "/board",
             f"/board/rounds/{round_id}/close", "/board?lang=en"]
    if open_round:
        pages.append(f"/board/rounds/{open_round[0]}/close")
    return pages


class Watched:
    """A browser context with CSP enforced, recording every violation and CSP console error."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.context.add_init_script(WATCH)
        self.base = base
        self.problems: list[str] = []
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: console: {message.text}")

    def visit(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="load")
        self.page.wait_for_timeout(700)  # let the page's scripts draw (fetches, the board's stream)
        self.collect()

    def collect(self) -> None:
        seen = self.page.evaluate("() => window.__csp || []")
        self.problems += [f"{self.page.url}: {entry}" for entry in seen]

    def sign_in(self, username: str) -> None:
        self.visit("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.click("#login-form button[type=submit]")
        self.collect()


def test_every_page_for_every_role_runs_under_a_csp_without_unsafe_inline(plenary_server, browser):
    live_server = plenary_server
    headers = browser.new_context().request.get(live_server.url + "/login").headers
    policy = headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy and "style-src 'self';" in policy
    pages = _pages(live_server)
    anonymous = Watched(browser, live_server.url)
    anonymous.visit("/login")
    anonymous.visit("/board")
    problems = list(anonymous.problems)
    visited = 2
    for username in ROLES:
        watched = Watched(browser, live_server.url)
        watched.sign_in(username)
        assert "/login" not in watched.page.url, f"{username} did not get signed in"
        for path in pages:
            watched.visit(path)
            visited += 1
        problems += watched.problems
        watched.context.close()
    assert visited == 2 + len(ROLES) * len(pages)
    assert problems == []


def test_the_enrollment_link_and_the_i_above_p_form_work_under_the_csp(live_server, browser):
    """Two pages whose code moved out of the template: the enrollment link submits itself
    (enroll.js); the ballots page asks for a reason when I exceeds P (ballots.js)."""
    admin = Watched(browser, live_server.url)
    admin.sign_in("admin")
    teller_id = connect(f"{live_server.instance}/union.sqlite3").execute(
        "SELECT id FROM app_user WHERE username = 'teller2'").fetchone()[0]
    base = live_server.url
    token = admin.page.evaluate("() => document.querySelector('meta[name=csrf-token]').content")
    enrollment = admin.context.request.post(f"{base}/api/users/{teller_id}/enrollment?base={base}",
                                            headers={"X-CSRFToken": token})
    assert enrollment.status == 201, enrollment.text()
    tablet = Watched(browser, base)
    tablet.page.goto(enrollment.json()["url"])
    tablet.page.wait_for_url("**/teller**")  # enroll.js submitted the form by itself
    tablet.collect()

    # I above P on the ballots page: refused naming both, a reason field appears, then saved.
    page = admin.page
    admin.visit("/admin/ballots")
    page.wait_for_selector("#round-select option", state="attached")
    expect(page.locator("#fig-printed")).not_to_have_text("–")  # no string predicate: no eval
    present = int(page.evaluate("""async () => {
      const id = document.getElementById('round-select').value;
      const response = await fetch(`/api/rounds/${id}/issuance`);
      return (await response.json()).present;
    }"""))
    assert page.locator("#issued-reason-label").is_hidden()
    page.fill("#issued-input", str(present + 2))
    page.click("#issued-form button[type=submit]")
    page.wait_for_selector("#issued-reason-label:not(.hidden)")
    error = page.inner_text("#figures-error")
    assert f"发出选票 {present + 2} 张" in error and f"参加选举人数 {present} 人" in error
    page.fill("#issued-reason", "两张选票污损后补发")
    page.click("#issued-form button[type=submit]")
    page.wait_for_selector("#issued-reason-label.hidden", state="attached")
    page.wait_for_selector("#fig-over-present-row:not([hidden])")
    assert "两张选票污损后补发" in page.inner_text("#fig-over-present")
    assert page.inner_text("#fig-issued") == str(present + 2)
    admin.collect()
    assert admin.problems + tablet.problems == []
