"""Each role's whole path from its home page, by clicking only (headless Chromium against
the real server): the secretariat sets up a new congress and prints; the chief
scrutineer enters R and reaches the close page; a scrutineer and a teller reach theirs."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from test_counting_support import live_db

from tests.support.browser import sign_in

ROSTER = ("姓名,单位,性别,是否保留会籍,备注\n周一,一车间,男,否,\n吴二,一车间,女,否,\n"
          "郑三,二车间,女,否,\n冯四,二车间,男,是,退休\n").encode("gb18030")


def test_secretariat_runs_a_new_congress_from_the_home_page(live_server, page):
    url = live_server.url
    sign_in(page, url, "admin")
    page.wait_for_url(re.compile(r"/admin$"))
    # A new congress, from the overview; it starts clean and becomes the chosen one.
    page.click("#new-congress-card summary")
    form = page.locator("#new-congress-form")
    form.locator("input[name=name]").fill("东风厂工会第一次会员大会")
    form.locator("select[name=kind]").select_option("founding")
    form.locator("select[name=assembly]").select_option("members")
    form.locator("input[name=members]").fill("4")
    page.click("#new-congress-save")
    page.wait_for_url(re.compile(r"/admin\?congress=\d+$"))
    expect(page.locator("#body-switcher option:checked")).to_have_text("东风厂工会第一次会员大会")
    expect(page.locator("#q-empty")).to_be_visible()  # E = 0: never "quorum met"
    expect(page.locator("#day-steps li[data-step=roster]")).to_contain_text("名册 0 人")

    # Step 2: the roster.
    page.click("#day-steps li[data-step=roster] a.step")
    roster = {"name": "名册.csv", "mimeType": "text/csv", "buffer": ROSTER}
    page.set_input_files("#roster-file", files=[roster])
    page.click("#roster-upload")
    expect(page.locator("#roster-result")).to_contain_text("已导入 4 人")
    expect(page.locator("#q-entitled")).to_have_text("3")

    # Step 3: attendance; the retained member has no button and says why.
    page.click("nav >> text=大会概况")
    page.click("#day-steps li[data-step=attendance] a.step")
    for name in ("周一", "郑三"):
        page.fill("#attendance-search", name)
        page.locator(f"#attendance-table tr:has-text('{name}') button.check-in").click()
        expect(page.locator("#attendance-message")).to_contain_text(f"{name}")
    page.fill("#attendance-search", "冯四")
    row = page.locator("#attendance-table tr:has-text('冯四')")
    expect(row).to_contain_text("保留会籍，无选举权，无需签到")
    expect(row.locator("button")).to_have_count(0)
    expect(row).not_to_contain_text("保留会籍（无）")
    page.click("#absent-link")
    expect(page.locator("#absent-table tbody tr")).to_have_count(1)
    expect(page.locator("#absent-table")).to_contain_text("吴二")
    page.click("#view-units")
    expect(page.locator("#units-table tfoot")).to_contain_text("3")
    page.click("#view-register")
    expect(page.locator("#register-table tbody tr")).to_have_count(4)

    # Step 4: a contest and its officials, chosen from the roster only.
    page.click("nav >> text=大会概况")
    page.click("#day-steps li[data-step=contests] a.step")
    page.fill("#new-contest input[name=title]", "工会主席")
    page.select_option("#new-contest select[name=office]", "chair")
    page.select_option("#new-contest select[name=method]", "equal")
    page.fill("#new-contest input[name=seats]", "1")
    page.fill("#new-contest textarea[name=candidates]", "吴二")
    page.click("#new-contest-save")
    card = page.locator("section.contest:has(h2:has-text('工会主席'))")
    official = card.locator("form.add-official")
    official.locator("input[name=person]").fill("不存在的人")
    official.locator("button[type=submit]").click()
    expect(card.locator(".official-error")).to_contain_text("名册中没有“不存在的人”")
    official.locator("input[name=person]").fill("周一（一车间）")
    official.locator("select[name=role]").select_option("teller")
    official.locator("select[name=user_id]").select_option(str(live_server.demo["user_ids"]["teller1"]))
    official.locator("button[type=submit]").click()
    expect(card.locator(".officials li")).to_contain_text("计票人：周一（一车间）")
    page.click("#officials-list-link")
    expect(page.locator("#officials-sheet")).to_contain_text("周一")
    page.click("nav >> text=选举事项")
    card.locator("button.open-round").click()
    expect(card.locator(".round-state")).to_contain_text("投票中")

    # Step 5: print; the ballots page lists this congress's rounds only, each naming it.
    page.click("nav >> text=大会概况")
    page.click("#day-steps li[data-step=print] a.step")
    options = page.locator("#round-select option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("东风厂工会第一次会员大会 · 工会主席 · 第 1 轮 · 进行中")
    page.fill("#print-count", "3")
    page.click("#print-go")
    expect(page.locator("#print-download")).to_be_visible(timeout=30_000)
    expect(page.locator("#fig-printed")).to_have_text("3")

    # Step 6: accounts and tablets.
    page.click("nav >> text=大会概况")
    page.click("#day-steps li[data-step=accounts] a.step")
    expect(page.locator("#enroll-base option").first).to_be_attached()
    expect(page.locator("#localhost-warning")).to_be_visible()  # opened at 127.0.0.1


def test_chief_scrutineer_scrutineer_and_teller_reach_their_steps(live_server, browser):
    url = live_server.url
    committee = live_server.demo["contest_ids"]["committee"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, url, "chief")
    page.wait_for_url(re.compile(r"/scrutineer$"))
    rows = page.locator("#round-steps tbody tr")
    expect(rows).to_have_count(3)  # the demo is ready to count: round 1 of each contest is open
    first = page.locator("#round-steps tbody tr").first
    expect(first).to_contain_text("第五届工会委员会委员 · 第 1 轮")
    first.locator("a.enter-r").click()
    page.wait_for_url(re.compile(r"/admin/ballots\?"))
    expect(page.locator("#round-select option:checked")).to_contain_text("第五届工会委员会委员 · 第 1 轮")
    page.fill("#returned-input", "0")
    page.locator("#returned-form button").click()
    expect(page.locator("#fig-returned")).to_have_text("0")
    page.click("a.brand")
    page.wait_for_url(re.compile(r"/scrutineer$"))
    expect(page.locator("#round-steps tbody tr").first.locator("a.enter-r")).to_have_text("收回 0 张")
    page.locator("#round-steps tbody tr").first.locator("a.close-round").click()
    page.wait_for_url(re.compile(r"/board/rounds/\d+/close$"))
    round_id = int(page.url.rsplit("/", 2)[-2])
    db = live_db(live_server)
    assert db.execute("SELECT contest_id FROM round WHERE id = ?", [round_id]).fetchone()[0] == committee
    db.close()
    context.close()

    context = browser.new_context(locale="en-US", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, url, "scrutineer")
    page.wait_for_url(re.compile(r"/scrutineer$"))
    expect(page.locator("#round-steps h1")).to_have_text("Each round, in order")
    page.click("#lang-switch")  # to Chinese, kept by a cookie across the next clicks
    page.click("a.brand")
    page.wait_for_url(re.compile(r"/scrutineer$"))
    expect(page.locator("#round-steps h1")).to_have_text("各轮计票：按顺序完成")
    expect(page.locator("#round-select option").nth(1)).to_contain_text("青石镇总工会第五次会员代表大会 · ")
    page.locator("#round-select").select_option(index=1)
    expect(page.locator("#fig-printed")).to_have_text("0")  # I, as the ballots page has it
    expect(page.locator("#conflicts")).to_contain_text("暂无")  # never the raw key
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, url, "teller1")
    page.wait_for_url(re.compile(r"/teller$"))
    expect(page.locator("#round-select option")).not_to_have_count(0)
    expect(page.locator("#code-input")).to_be_visible()
    context.close()
