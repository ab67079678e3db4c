"""The teller's tablet page and the scrutineers' page in headless Chromium against the
real server: type a code, correct a choice, confirm; the offline queue; a conflict
resolved by a scrutineer."""

from __future__ import annotations

import json
import uuid

import pytest
from test_counting_support import PASSWORD, ballot_photo, http_client, live_db, open_live_round

pytestmark = pytest.mark.browser


def _png(size: int = 4) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (size, size), 200).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.fixture(scope="module")
def counting_server(tmp_path_factory):
    """One real server for this module (starting one is the slow part): the demo congress
    with the committee's round 1 open and serials printed; each test takes fresh serials."""
    import conftest

    server = conftest.LiveServer(tmp_path_factory.mktemp("teller-live"))
    server.demo = json.loads(server.run_flask("demo").stdout.strip().splitlines()[-1])
    committee, key = open_live_round(server, 40)
    server.start()
    yield server, committee, key, iter(committee.serials)
    server.stop()


@pytest.fixture
def live(counting_server):
    return counting_server


def sign_in_page(page, live_server, username: str, lands_on: str) -> None:
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{lands_on}")


def ballot_row(live_server, serial: str):
    db = live_db(live_server)
    try:
        return db.execute("SELECT status, marks_json FROM ballot WHERE serial = ?", [serial]).fetchone()
    finally:
        db.close()


def ballot_row_full(live_server, serial: str):
    db = live_db(live_server)
    try:
        return db.execute("SELECT * FROM ballot WHERE serial = ?", [serial]).fetchone()
    finally:
        db.close()


def count_rows(live_server, sql: str, params=()) -> int:
    db = live_db(live_server)
    try:
        return db.execute(sql, list(params)).fetchone()[0]
    finally:
        db.close()


def pick_round(page, round_id: int) -> None:
    page.wait_for_selector(f"#round-select option[value='{round_id}']", state="attached")
    page.select_option("#round-select", str(round_id))


def enter_code(page, code: str) -> None:
    page.fill("#code-input", code)
    page.press("#code-input", "Enter")
    page.wait_for_selector("#ballot-card:not([hidden])")


def tap(page, ref: str, mark: str) -> None:
    page.click(f"#marks tr[data-ref='{ref}'] button[data-mark='{mark}']")


def test_teller_types_a_code_corrects_a_choice_sees_verdicts_and_confirms(page, live):
    # teller1 counts only in this test: the running count starts from zero.
    live_server, committee, key, fresh = live
    serial, other, third = next(fresh), next(fresh), next(fresh)
    sign_in_page(page, live_server, "teller1", "/teller")
    pick_round(page, committee.round_id)
    enter_code(page, serial.lower().replace("-", ""))
    assert page.text_content("#ballot-label") == serial
    tap(page, "c1", "yes")
    tap(page, "c2", "yes")
    tap(page, "c1", "no")  # corrected: one tap changes the choice
    page.wait_for_function("document.querySelector('#verdict').dataset.valid === 'true'")
    assert "有效票" in page.text_content("#verdict")
    page.click("#confirm")
    page.wait_for_selector("#recent li[data-status='added']")
    assert page.is_hidden("#ballot-card")
    page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '0'")
    assert page.text_content("#my-count") == "1"
    row = ballot_row(live_server, serial)
    assert row["status"] == "counted"
    marks = json.loads(row["marks_json"])
    assert (marks["c1"], marks["c2"], marks["c3"]) == ("no", "yes", "abstain")
    # The next ballot is ready at once: the code field has the focus.
    assert page.evaluate("document.activeElement.id") == "code-input"

    # A sheet over-voted: the teller sees 无效票 and why before confirming.
    enter_code(page, committee.payload(key, other))  # as a handheld scanner types it
    for ref in committee.refs:  # 10 approvals for 9 seats
        tap(page, ref, "yes")
    page.wait_for_function("document.querySelector('#verdict').dataset.valid === 'false'")
    assert "无效票" in page.text_content("#verdict")
    assert "所选人数多于应选名额" in page.text_content("#verdict")
    page.check("#sheet-invalid")
    page.click("#confirm")
    assert "理由" in page.text_content("#ballot-error")  # a sheet declared invalid needs a reason
    page.fill("#invalid-reason", "选票撕破")
    # The handheld scanner reads the next sheet before this one is confirmed: its text is
    # kept, the open ballot is not dropped, and the next one opens after confirming.
    tap(page, "c1", "yes")
    page.keyboard.type(committee.payload(key, third))
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#entry-error').textContent.includes('请先确认')")
    assert page.text_content("#ballot-label") == other
    page.click("#confirm")
    page.wait_for_function(f"document.querySelector('#ballot-label').textContent === '{third}'")
    page.wait_for_function("document.querySelectorAll('#recent li').length === 2")
    assert "计票人当场认定无效" in page.text_content("#recent li")
    assert page.text_content("#my-count") == "2"
    page.click("#discard")
    assert page.is_hidden("#ballot-card") and ballot_row(live_server, third) is None

    # A code that was never printed is refused at once, with the reason.
    page.fill("#code-input", "ZZZZZ-ZZZZZ")
    page.press("#code-input", "Enter")
    page.wait_for_function("document.querySelector('#entry-error').textContent.includes('从未印制')")
    assert page.is_hidden("#ballot-card")


def test_offline_queue_survives_reload_and_delivers_each_ballot_once(page, live):
    live_server, committee, _key, fresh = live
    first, second = next(fresh), next(fresh)
    sign_in_page(page, live_server, "teller3", "/teller")
    pick_round(page, committee.round_id)

    # The first ballot reaches the server but its answer is lost on the way back.
    lost = []

    def lose_answer(route):
        route.fetch()
        lost.append(route.request.post_data)
        route.abort()

    page.route("**/api/rounds/*/ballots", lose_answer)
    enter_code(page, first)
    tap(page, "c1", "yes")
    page.click("#confirm")
    page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '1'")
    for _ in range(100):
        if lost:
            break
        page.wait_for_timeout(50)
    assert lost and ballot_row(live_server, first)["status"] == "counted"

    # Then the Wi-Fi drops altogether: nothing reaches the server.
    page.unroute("**/api/rounds/*/ballots")
    page.route("**/api/**", lambda route: route.abort())
    enter_code(page, second)
    assert "离线" in page.text_content("#ballot-note")
    tap(page, "c2", "no")
    page.click("#confirm")
    page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '2'")
    assert "2 张待发送" in page.text_content("#queue-state")

    # A reload (or a flat battery) keeps the queue.
    page.reload()
    page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '2'")
    assert ballot_row(live_server, second) is None

    # The network comes back: everything arrives, each ballot exactly once.
    page.unroute("**/api/**")
    page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '0'",
                           timeout=15_000)
    assert json.loads(ballot_row(live_server, first)["marks_json"])["c1"] == "yes"
    assert json.loads(ballot_row(live_server, second)["marks_json"])["c2"] == "no"
    assert count_rows(live_server, "SELECT count(*) FROM ballot_submission WHERE serial IN (?, ?)",
                      [first, second]) == 2
    statuses = page.eval_on_selector_all("#recent li", "items => items.map(i => i.dataset.status)")
    assert sorted(statuses) == ["added", "added"]  # the resend of the first got its original answer


def test_scrutineer_resolves_a_conflict_with_a_reason(page, live):
    live_server, committee, _key, fresh = live
    serial = next(fresh)
    for username, mark in (("teller2", "yes"), ("teller3", "no")):
        client = http_client(live_server.url, username)
        body = {"client_id": str(uuid.uuid4()), "serial": serial, "marks": {"c1": mark}}
        answer = client.post(f"/api/rounds/{committee.round_id}/ballots", json=body)
        assert answer.status_code == 200, answer.text
        sent = client.post(f"/api/rounds/{committee.round_id}/ballots/{serial}/photo",
                           params={"client_id": body["client_id"]}, files={"photo": ("b.png", PNG)})
        assert sent.status_code == 200, sent.text
        client.close()
    assert ballot_row(live_server, serial)["status"] == "conflict"

    sign_in_page(page, live_server, "scrutineer", "/scrutineer")
    pick_round(page, committee.round_id)
    card = page.locator(f"#conflicts .ballot[data-serial='{serial}']")
    card.wait_for()
    assert "不赞成" in card.text_content() and "赞成" in card.text_content()
    # The photos the tablets took are shown with the versions.
    card.locator("a.photo img").first.wait_for()
    assert card.locator("a.photo img").count() == 2
    page.wait_for_function(f"[...document.querySelectorAll(\"[data-serial='{serial}'] a.photo img\")]"
                           ".every((img) => img.complete && img.naturalWidth === 4)")
    cells = card.locator("tr[data-ref='c1'] td").all_text_contents()  # name, version 1, version 2
    assert sorted(cells[1:]) == ["不赞成", "赞成"]
    no_version = cells.index("不赞成")
    card.locator(f"button.choose[data-version='{no_version}']").click()
    assert "理由" in card.locator(".error").text_content()  # a decision needs a reason
    card.locator("input.reason").fill("核对原票，第一名划×")
    card.locator(f"button.choose[data-version='{no_version}']").click()
    page.wait_for_selector(f"#conflicts .ballot[data-serial='{serial}']", state="detached")
    row = ballot_row(live_server, serial)
    assert row["status"] == "counted" and json.loads(row["marks_json"])["c1"] == "no"
    assert page.text_content("#fig-conflicts") == "0"
    # Look-up by code shows the decision among the versions.
    page.fill("#lookup-code", serial)
    page.click("#lookup-form button[type=submit]")
    page.wait_for_selector(f"#lookup-result .ballot[data-serial='{serial}']")
    assert "已计入" in page.text_content("#lookup-result")
    assert "✓" in page.text_content("#lookup-result thead")


WRITTEN_NAMES = ["赵六", "钱七", "孙八", "李九", "周十"]  # names hold no digits (app/congress/names.py)


def test_teller_photographs_a_ballot_checks_the_reading_corrects_it_and_confirms(page, live, tmp_path):
    live_server, committee, key, fresh = live
    serial = next(fresh)
    client = http_client(live_server.url, "teller1")
    layout = client.get(f"/api/rounds/{committee.round_id}/layout").json()
    client.close()
    photo, truth = ballot_photo(layout, key, committee.contest_id, committee.round_id, serial, seed=7,
                                both_marked=("c2",))
    (tmp_path / "ballot.jpg").write_bytes(photo)

    sign_in_page(page, live_server, "teller2", "/teller")
    pick_round(page, committee.round_id)
    page.set_input_files("#photo-input", str(tmp_path / "ballot.jpg"))
    page.wait_for_selector("#ballot-card:not([hidden])", timeout=30_000)
    assert page.text_content("#ballot-label") == serial
    assert page.is_visible("#photo")

    # What was read is shown over the photo; the candidate marked twice is highlighted,
    # in the table and around its boxes on the photo.
    flagged = page.eval_on_selector_all("#marks tr.unsure", "rows => rows.map(r => r.dataset.ref)")
    assert "c2" in flagged
    corner = page.evaluate("""() => {
        const c = layouts[currentRoundId()].candidates.find((c) => c.ref === 'c2');
        const canvas = document.querySelector('#photo');
        const scale = canvas.width / ballot.scan.image_size[0];
        const [x, y] = project(ballot.scan.page_to_image, c.boxes.yes.x, c.boxes.yes.y);
        return Array.from(canvas.getContext('2d').getImageData(Math.round(x * scale),
                                                               Math.round(y * scale), 1, 1).data);
    }""")
    assert corner[0] > 200 and 120 < corner[1] < 200 and corner[2] < 90, corner  # #f9a825
    page.click("#confirm")
    assert page.text_content("#ballot-error")  # an unsure box must be decided first
    expected = {}
    for ref in committee.refs:
        meant = truth.marks[ref] if truth.marks[ref] in ("yes", "no", "abstain") else "unreadable"
        if ref in flagged:
            tap(page, ref, meant)
        else:  # the reader is sure only when it is right
            row = page.locator(f"#marks tr[data-ref='{ref}']")
            assert row.locator("button.on").get_attribute("data-mark") == truth.marks[ref], ref
        expected[ref] = meant
    # One tap corrects a choice.
    expected["c1"] = "no" if expected["c1"] != "no" else "yes"
    tap(page, "c1", expected["c1"])
    # Each written-in name is typed by the teller beside its crop from the photo.
    named = [w for w in truth.write_ins if w["has_name"]]
    assert page.locator("#write-ins .write-in img").count() == len(named) >= 1
    for index, row in enumerate(page.locator("#write-ins .write-in").all()):
        row.locator("input").fill(WRITTEN_NAMES[index])
        if "unsure" in (row.get_attribute("class") or ""):
            row.locator("button").click()
    # c2 is unreadable: under the default setting the whole ballot is void (R3), shown first.
    page.wait_for_function("document.querySelector('#verdict').dataset.valid === 'false'")
    assert "无法辨认" in page.text_content("#verdict")
    page.click("#confirm")
    page.wait_for_selector("#recent li[data-status='added']")
    row = ballot_row(live_server, serial)
    assert json.loads(row["marks_json"]) == expected
    names = [w["name"] for w in json.loads(ballot_row_full(live_server, serial)["write_ins_json"])]
    assert names == WRITTEN_NAMES[:len(named)]
    # The photo follows its acknowledged ballot, for the scrutineers.
    for _ in range(100):
        if count_rows(live_server, "SELECT count(*) FROM ballot_photo WHERE serial = ?", [serial]):
            break
        page.wait_for_timeout(100)
    assert count_rows(live_server, "SELECT count(*) FROM ballot_photo WHERE serial = ?", [serial]) == 1
