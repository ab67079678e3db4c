"""The hall's board read from the back of the hall (issue 11): with three-digit counts,
long names, a write-in and a 60-candidate contest, at 1920×1080 and 1024×768, no two
pieces of text overlap, none is cut off or runs off the screen, and every number shown
is the number counted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.results.sealing import seal
from app.store import connect, write_transaction
from tests.test_board_support import ENTITLED, ISSUED, PRESENT, WRITE_IN, build_hall
from tests.test_results_support import SIGNATURES

pytestmark = pytest.mark.browser

# Every piece of text on the board as boxes (one per line it takes), plus what clips it.
LAYOUT_JS = r"""
() => {
  const problems = [];
  const boxes = [];
  const root = document.getElementById("board");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const width = document.documentElement.clientWidth;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const owner = node.parentElement;
    if (owner.closest("[hidden], script")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const label = node.textContent.trim();
    for (const rect of range.getClientRects()) {
      if (rect.width < 1 || rect.height < 1) continue;
      boxes.push({label, left: rect.left, right: rect.right, top: rect.top + scrollY,
                  bottom: rect.bottom + scrollY});
      if (rect.left < -0.5 || rect.right > width + 0.5) problems.push(`off screen: ${label}`);
      // Any ancestor that clips (overflow not visible) must hold the whole text.
      for (let up = owner; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX !== "visible" || style.overflowY !== "visible") {
          const box = up.getBoundingClientRect();
          if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5 ||
              rect.top < box.top - 0.5 || rect.bottom > box.bottom + 0.5) {
            problems.push(`clipped by its box: ${label}`);
          }
        }
      }
    }
  }
  for (const element of root.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    if (style.display === "inline" || style.display === "contents") continue;
    if (element.scrollWidth > element.clientWidth + 1 && style.overflowX !== "visible") {
      problems.push(`clipped (scrollWidth): ${element.textContent.trim().slice(0, 40)}`);
    }
  }
  if (document.documentElement.scrollWidth > width + 1) problems.push("the page scrolls sideways");
  // Two text boxes overlap when they share more than a sliver (1 px) both ways.
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) problems.push(`"${a.label}" overlaps "${b.label}"`);
    }
  }
  return {problems, count: boxes.length};
}
"""

# What each round shows: its figures and each person's numbers, as text.
READ_JS = r"""
() => [...document.querySelectorAll("#board section.contest")].map((section) => ({
  round: Number(section.dataset.round),
  state: section.querySelector(".round-state").textContent,
  figures: Object.fromEntries([...section.querySelectorAll(".figure")].map(
    (f) => [f.dataset.field, f.querySelector(".value").textContent])),
  people: [...section.querySelectorAll(".person")].map((row) => ({
    name: row.dataset.name, writeIn: row.dataset.writeIn === "true",
    nums: [...row.querySelectorAll(".num")].map((n) => [n.dataset.field || "", n.textContent]),
  })),
  line: (section.querySelector("[data-field=line]") || {}).textContent || "",
  elected: [...section.querySelectorAll(".banner .elected-name")].map((n) => n.textContent),
}))
"""


def _check_numbers(rounds: list[dict], hall) -> None:
    by_round = {entry["round"]: entry for entry in rounds}
    threshold = ENTITLED // 2 + 1  # R4: more than half of E (the default base)
    committee = by_round[hall.committee_round]
    counted = PRESENT  # R = 462 returned, all counted
    assert committee["figures"] == {
        "seats": "7", "entitled": str(ENTITLED), "present": str(PRESENT),
        "quorum": f"{-(-ENTITLED * 2 // 3)} 人", "issued": str(ISSUED), "returned": str(counted),
        "recorded": f"{counted} / {counted}", "valid": str(counted - hall.invalid[hall.committee_round]),
        "invalid": str(hall.invalid[hall.committee_round]), "threshold": str(threshold)}
    assert committee["line"] == f"当选线 {threshold} 票"
    for entry in rounds:
        expected = hall.expected[entry["round"]]
        assert {p["name"] for p in entry["people"]} == set(expected)
        for person in entry["people"]:
            want = expected[person["name"]]
            shown = dict(person["nums"])
            if person["writeIn"]:  # for a write-in only its votes for mean anything
                assert person["name"] == WRITE_IN and shown == {"yes": str(want["yes"]), "": ""}
            else:
                assert shown == {k: str(v) for k, v in want.items()}, person["name"]
    many = by_round[hall.many_round]
    assert many["figures"]["recorded"] == "5（收回数待录入）"
    assert many["state"] == "投票·计票中"
    chair = by_round[hall.chair_round]
    assert chair["state"] == "已封存" and chair["elected"] == ["王建国"]


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)])
def test_board_with_three_digit_counts_shows_every_number_whole_and_right(live_server, browser, size):
    instance = Path(live_server.instance)
    db = connect(instance / "union.sqlite3")
    key = (instance / "ballot_key").read_text().strip()
    hall = build_hall(db, key)
    width, height = size
    page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}).new_page()
    page.goto(f"{live_server.url}/board?congress={hall.congress_id}")
    page.wait_for_selector(f"section[data-round='{hall.committee_round}'][data-complete=true] .banner")
    page.wait_for_selector("#board-link[data-state=live]")
    layout = page.evaluate(LAYOUT_JS)
    assert layout["count"] > 350  # the 60-candidate contest's rows are there too
    assert layout["problems"] == []
    _check_numbers(page.evaluate(READ_JS), hall)
    assert page.inner_text("#board-link") == "实时"
    # Large enough to read from the back: a count is at least 2.2 % of the screen's width tall.
    size_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                            "'.tally:not(.many) .num')).fontSize)")
    assert size_px >= (40 if width >= 1920 else 22)

    # Everything sealed: the board says so instead of "live", and lists the elected (R9).
    with write_transaction(db):
        db.execute("UPDATE round SET ballots_issued = 10, ballots_returned = 5 WHERE id = ?",
                   [hall.many_round])
    seal(db, hall.committee_round, SIGNATURES, "test")
    seal(db, hall.many_round, SIGNATURES, "test")
    page.wait_for_selector(f"section[data-round='{hall.committee_round}'][data-state=sealed] .elected-name")
    page.wait_for_selector("#board-link[data-state=sealed]")
    assert page.inner_text("#board-link") == "结果已全部封存"
    layout = page.evaluate(LAYOUT_JS)
    assert layout["problems"] == []
    committee = next(r for r in page.evaluate(READ_JS) if r["round"] == hall.committee_round)
    # 王建国 万丽 (3 strokes) first ... R9 order of the seven elected, by the rules' own key.
    from app.rules.names import sort_by_name
    elected = [n for n in hall.expected[hall.committee_round] if n not in ("陈思远", WRITE_IN)]
    assert committee["elected"] == sort_by_name(elected, lambda name: name)
    assert not re.search(r"R\d", page.inner_text("#board"))
    db.close()
