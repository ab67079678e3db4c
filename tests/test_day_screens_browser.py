"""What people see on the congress day (issue 11), in a real browser against the real
server with the demo's second half (`demo --plenary`: the committee round sealed, its
ballots recorded by the demo itself): English pages carry no Chinese of ours, the
scrutineer sees a word for ballots recorded without an account, and at 768 px the round
picker and its link neither overflow nor break."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator

import pytest
from conftest import DEMO_PASSWORD, LiveServer

from app.i18n import CATALOG
from app.web import scrutineer  # noqa: F401  (registers the scrutineer page's words)

# Han characters and the full-width punctuation that goes with them (，：（）、。).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


@pytest.fixture(scope="module")
def hall(tmp_path_factory) -> Iterator[LiveServer]:
    instance = tmp_path_factory.mktemp("day-screens")
    server = LiveServer(instance)
    server.demo = json.loads(server.run_flask("demo", "--plenary").stdout.strip().splitlines()[-1])
    server.start()
    yield server
    server.stop()


def the_data(server: LiveServer) -> list[str]:
    """Everything on a page that is the congress's own data (names, units, titles)."""
    db = sqlite3.connect(server.instance / "union.sqlite3")
    queries = ("SELECT name FROM person", "SELECT unit FROM person", "SELECT note FROM person",
               "SELECT name FROM congress", "SELECT title FROM contest", "SELECT name FROM candidate",
               "SELECT note FROM candidate", "SELECT display_name FROM app_user",
               "SELECT name FROM contest_official")
    found = {row[0] for query in queries for row in db.execute(query) if row[0]}
    db.close()
    return sorted(found, key=len, reverse=True)


def signed_in(browser, server: LiveServer, username: str, language: str, width: int = 1366,
              height: int = 900):
    context = browser.new_context(locale=language, viewport={"width": width, "height": height},
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/login?lang={language}")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  // The body switcher lists bodies by their names (data); 中文 switches back on purpose.
  copy.querySelectorAll("#body-switcher, #lang-switch, script, style").forEach((e) => e.remove());
  const hints = [...document.querySelectorAll("[placeholder], [title], [aria-label]")].map(
    (e) => [e.placeholder || "", e.title || "", e.getAttribute("aria-label") || ""].join(" "));
  return copy.innerText + " " + hints.join(" ");
}"""


def test_close_scrutineer_and_board_pages_speak_english(hall, browser):
    data = the_data(hall)
    congress = hall.demo["congress_id"]
    sealed, still_open = hall.demo["committee_round_id"], hall.demo["open_round_ids"][0]
    context, page = signed_in(browser, hall, "chief", "en")
    leftovers = {}
    for path in (f"/board/rounds/{sealed}/close", f"/board/rounds/{still_open}/close",
                 f"/scrutineer?congress={congress}", f"/board?congress={congress}"):
        page.goto(f"{hall.url}{path}")
        page.wait_for_load_state("networkidle")
        page.wait_for_selector("main table, #board-contests section")  # the script has drawn
        text = page.evaluate(VISIBLE_TEXT)
        assert "Round" in text or "round" in text, path
        for item in data:
            text = text.replace(item, "")
        leftovers[path] = sorted(set(CJK.findall(text)))
    context.close()
    assert leftovers == {path: [] for path in leftovers}


def test_ballots_recorded_without_an_account_are_named(hall, browser):
    word = CATALOG["sc_teller_no_account"]["zh-CN"]
    context, page = signed_in(browser, hall, "scrutineer", "zh-CN")
    page.goto(f"{hall.url}/scrutineer?congress={hall.demo['congress_id']}")
    page.select_option("#round-select", str(hall.demo["committee_round_id"]))
    first_cell = page.locator("#tellers tr td").first
    first_cell.wait_for()
    assert first_cell.inner_text() == word  # the demo recorded all of that round's ballots
    context.close()


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_round_picker_and_scan_link_fit_at_768(hall, browser, language):
    context, page = signed_in(browser, hall, "chief", language, 768, 1024)
    page.goto(f"{hall.url}/scrutineer?congress={hall.demo['congress_id']}")
    page.select_option("#round-select", str(hall.demo["committee_round_id"]))
    link, picker = page.locator("#batch-link"), page.locator("#round-select")
    line = link.evaluate("(a) => parseFloat(getComputedStyle(a).lineHeight) || 24")
    box, picked = link.bounding_box(), picker.bounding_box()
    assert box["height"] < 1.5 * line  # one line: the link's words are never split
    assert box["x"] + box["width"] <= 768 and picked["x"] + picked["width"] <= 768
    overlap = not (box["x"] >= picked["x"] + picked["width"] or box["y"] >= picked["y"] + picked["height"])
    assert not overlap
    # Nothing on the page is wider than the screen (no sideways scrolling of the whole page).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    # The top bar: every link of it on screen and none split over two lines.
    for item in page.locator(".topbar a, .topbar button").all():
        item_box = item.bounding_box()
        assert item_box and item_box["x"] + item_box["width"] <= 768 and item_box["height"] < 2 * line
    context.close()


def test_place_issuer_and_stamp_are_set_from_the_congress_forms(hall, browser):
    context, page = signed_in(browser, hall, "admin", "zh-CN", 1024, 768)
    congress = hall.demo["congress_id"]
    page.goto(f"{hall.url}/admin?congress={congress}")
    form = page.locator("#congress-form")
    form.locator("input[name=place]").fill("镇政府三楼会议室")
    form.locator("input[name=issuing_body]").fill("青石镇总工会")
    form.locator("input[name=ballot_stamp]").check()
    form.locator("#congress-save").click()
    page.locator("#toast.show").wait_for()
    stored = page.request.get(f"{hall.url}/api/congresses/{congress}").json()
    assert (stored["place"], stored["issuing_body"], stored["ballot_stamp"]) == (
        "镇政府三楼会议室", "青石镇总工会", True)
    # A new congress takes them from the creating form.
    page.locator("#new-congress-card summary").click()
    fresh = page.locator("#new-congress-form")
    fresh.locator("input[name=name]").fill("青石镇工会第一次会员大会")
    fresh.locator("input[name=members]").fill("40")
    fresh.locator("input[name=place]").fill("文化站礼堂")
    fresh.locator("input[name=ballot_stamp]").check()
    with page.expect_navigation():
        fresh.locator("#new-congress-save").click()
    assert re.search(r"/admin\?congress=\d+$", page.url) and not page.url.endswith(f"={congress}")
    created = int(page.url.rsplit("=", 1)[1])
    stored = page.request.get(f"{hall.url}/api/congresses/{created}").json()
    assert (stored["name"], stored["place"], stored["issuing_body"], stored["ballot_stamp"]) == (
        "青石镇工会第一次会员大会", "文化站礼堂", "", True)
    context.close()
