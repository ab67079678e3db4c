"""The secretariat's flow in a real browser (headless Chromium) against the real server:
sign in, import a roster (a broken file first), check two people in by name and by card
scan and watch P change, create a contest, see R7 refuse it, fix the slate, open the round."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD

BROKEN = "姓名,单位,是否保留会籍\n测试甲,测试车间,否\n,测试车间,否\n".encode("gb18030")
GOOD = "姓名,单位,是否保留会籍\n测试甲,测试车间,否\n测试乙,测试车间,否\n".encode("gb18030")


def csv_file(data: bytes) -> dict:
    return {"name": "名册.csv", "mimeType": "text/csv", "buffer": data}


def test_secretariat_imports_checks_in_and_opens_a_round(live_server, page):
    demo = live_server.demo
    entitled, present = demo["entitled"], demo["present"]

    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin$"))
    expect(page.locator("#q-entitled")).to_have_text(str(entitled))
    expect(page.locator("#q-present")).to_have_text(str(present))
    expect(page.locator(".q-needed")).to_have_text("80")  # ⌈2·120/3⌉ (R1)

    # Roster: a broken file is refused row by row, then a good one is imported.
    page.click("nav >> text=代表名册")
    page.set_input_files("#roster-file", files=[csv_file(BROKEN)])
    page.click("#roster-upload")
    expect(page.locator("#roster-error")).to_contain_text("未导入任何人员")
    expect(page.locator("#roster-errors")).to_contain_text("第 3 行（姓名）：姓名为空")
    page.set_input_files("#roster-file", files=[csv_file(GOOD)])
    page.click("#roster-upload")
    expect(page.locator("#roster-result")).to_contain_text("已导入 2 人")
    expect(page.locator("#q-entitled")).to_have_text(str(entitled + 2))
    page.fill("#roster-search", "测试乙")
    expect(page.locator("#roster-table tbody tr")).to_have_count(1)
    card_code = page.locator("#roster-table tbody tr td code").inner_text()
    assert re.fullmatch(r"[0-9A-F]{12}", card_code)

    # Attendance: one by name search, one by the scanner typing the card code.
    page.click("nav >> text=签到")
    page.fill("#attendance-search", "测试甲")
    page.locator("#attendance-table tr:has-text('测试甲') button.check-in").click()
    expect(page.locator("#attendance-message")).to_contain_text("测试甲（测试车间）签到成功")
    expect(page.locator("#q-present")).to_have_text(str(present + 1))
    page.fill("#scan-input", card_code.lower())
    page.press("#scan-input", "Enter")
    expect(page.locator("#attendance-message")).to_contain_text("测试乙（测试车间）签到成功")
    expect(page.locator("#q-present")).to_have_text(str(present + 2))
    page.locator("#recent li:has-text('测试乙') button.undo").click()
    expect(page.locator("#attendance-message")).to_contain_text("已撤销 测试乙")
    expect(page.locator("#q-present")).to_have_text(str(present + 1))

    # Contests: a differential contest for 2 seats needs 3 candidates (R7).
    page.click("nav >> text=选举事项")
    page.fill("#new-contest input[name=title]", "工会副主席")
    page.select_option("#new-contest select[name=office]", "vice_chair")
    page.select_option("#new-contest select[name=method]", "differential")
    page.fill("#new-contest input[name=seats]", "2")
    page.fill("#new-contest textarea[name=candidates]", "李明\n王强")
    page.click("#new-contest-save")
    card = page.locator("section.contest:has(h2:has-text('工会副主席'))")
    expect(card.locator("table.candidates td").first).to_have_text("王强")  # 王 before 李 (R9)
    card.locator("button.open-round").click()
    expect(card.locator(".open-result")).to_contain_text("候选人至少须 3 名，现有 2 名")
    card.locator("form.add-candidate input[name=name]").fill("赵六")
    card.locator("form.add-candidate button").click()
    expect(card.locator("table.candidates tr")).to_have_count(3)
    expect(card.locator(".slate-status")).to_contain_text("候选人数符合要求")
    card.locator("button.open-round").click()
    expect(card.locator(".open-result")).to_contain_text(
        f"第 1 轮投票已开始：应到 {entitled + 2} 人，实到 {present + 1} 人。")
    expect(card.locator(".round-state")).to_contain_text("投票中")
