"""The teller's round list shows only the rounds of the congress chosen in the bar's
switcher (the same choice as the other pages: ?congress=, then the cookie, then the newest
open congress), each named "大会 · 事项 · 第 n 轮" (issue 12)."""

from __future__ import annotations

import json

import pytest
from conftest import LiveServer

from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def two_congresses(tmp_path_factory):
    """The demo congress with its committee's round 1 open, and a second congress (newer,
    so the default choice) with a round of its own open."""
    from app.congress.rounds import open_round
    from app.congress.setup import NewPerson, add_people, create_congress, create_contest
    from app.store import connect

    server = LiveServer(tmp_path_factory.mktemp("teller-rounds"))
    demo = json.loads(server.run_flask("demo").stdout.strip().splitlines()[-1])
    db = connect(server.instance / "union.sqlite3")
    round_one = "SELECT id FROM round WHERE contest_id = ? AND number = 1"
    try:
        first = db.execute(round_one, [demo["contest_ids"]["committee"]]).fetchone()[0]
        if db.execute("SELECT state FROM round WHERE id = ?", [first]).fetchone()[0] == "draft":
            open_round(db, first, "test")  # (the demo may have opened it already)
        other = create_congress(db, name="红星机械厂工会会员大会", kind="renewal", assembly="members",
                                members=40, actor="test")
        add_people(db, other, [NewPerson(name=name, unit="一车间", gender="男", entitled=True, note="")
                               for name in ("郑一鸣", "冯二军", "陈三石")], "test")
        contest = create_contest(db, other, title="工会委员会委员", office="committee", method="differential",
                                 seats=2, candidates=[("郑一鸣", ""), ("冯二军", ""), ("陈三石", "")],
                                 actor="test", position=1)
        second = db.execute(round_one, [contest]).fetchone()[0]
        open_round(db, second, "test")
    finally:
        db.close()
    server.start()
    yield server, demo["congress_id"], other, first, second
    server.stop()


def _round_options(page) -> list[tuple[str, str]]:
    page.wait_for_function("document.querySelectorAll('#round-select option').length > 1")
    return [tuple(pair) for pair in page.eval_on_selector_all(
        "#round-select option[value]:not([value=''])",
        "options => options.map((o) => [o.value, o.textContent])")]


def test_round_list_follows_the_chosen_congress(two_congresses, page):
    server, demo_congress, other, first, second = two_congresses
    sign_in(page, server.url, "teller1", "**/teller")
    # Unasked: the newest congress, and only its round.
    assert _round_options(page) == [(str(second), "红星机械厂工会会员大会 · 工会委员会委员 · 第 1 轮")]
    # The switcher picks the demo congress: only its open rounds, named in full; the choice
    # is remembered for the next visit (the cookie), as on the other pages.
    page.select_option("#body-switcher", str(demo_congress))
    page.wait_for_url(f"**/teller?congress={demo_congress}")
    shown = _round_options(page)
    assert (str(first), "青石镇总工会第五次会员代表大会 · 第五届工会委员会委员 · 第 1 轮") in shown
    assert str(second) not in dict(shown)
    assert all(text.startswith("青石镇总工会第五次会员代表大会 · ") for _value, text in shown)
    page.goto(f"{server.url}/teller")
    assert _round_options(page) == shown
    page.goto(f"{server.url}/teller?congress={other}&lang=en")
    assert _round_options(page) == [(str(second), "红星机械厂工会会员大会 · 工会委员会委员 · round 1")]
