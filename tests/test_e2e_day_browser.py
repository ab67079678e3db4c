"""A whole congress day by clicking only (issue 11), in headless Chromium against a real
installation: nginx in front of gunicorn, started WITHOUT the demo (the secretariat's
password set at first start with `flask create-admin`, as `UNION_DEMO=0 scripts/run.sh`
does).

From the sign-in page on, every step is a click, a typed field or a chosen file: a new
congress, its roster (.csv), check-in, contests and officials chosen from the roster,
accounts for a chief scrutineer and a teller, printing (the PDF is downloaded), counting
from photos of the printed sheets marked with a pen (tests/support/deck.py draws the marks
and simulates the camera), R, close and seal, the count report and the announcement, the
new committee's first plenary electing its chair, and the report to the higher union, read
back from the PDF. No API call, no typed URL after the first, no database write: the test
only reads the server's database for one thing a voter sees on paper, the position of the
boxes on the printed ballot (app/ballots/round_layout.py), to draw the marks in them.

The Chinese day is the full one; the English day is shorter (congress → one contest
counted → sealed → report) and checks that no Chinese reaches a label or a button.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from conftest import ROOT, LiveServer
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from support.deck import deck_module
from test_counting_support import live_db

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1024, "height": 768}
UNITS = ("一车间", "二车间", "三车间", "机关")
# The people the day is about, with their unit and gender; the rest of the roster is drawn
# below. Surnames chosen so that the stroke order (R9) is plain: 丁 2, 马 3, 王 4, 石 5,
# 刘 6, 孙 6, 陈 7, 周 8, 赵 9, 徐 10, 黄 11.
NAMED = {
    "丁国强": ("一车间", "男"), "王秀兰": ("二车间", "女"), "刘洋": ("三车间", "男"),
    "陈明": ("机关", "女"), "周丽华": ("一车间", "女"), "黄志刚": ("二车间", "男"),
    "石建平": ("三车间", "男"), "赵敏": ("机关", "女"), "徐静": ("一车间", "女"),
    "马超": ("二车间", "男"), "孙红": ("三车间", "女"),
}
COMMITTEE = ["周丽华", "丁国强", "陈明", "王秀兰", "刘洋", "黄志刚"]  # 差额: 5 of 6
COMMITTEE_ELECTED = ["丁国强", "王秀兰", "刘洋", "陈明", "周丽华"]  # R9 order
AUDIT = ["徐静", "石建平", "赵敏"]  # 等额 3
AUDIT_ELECTED = ["石建平", "赵敏", "徐静"]
CHIEF, TELLER = "马超", "孙红"  # the congress's chief scrutineer and teller (R12: not candidates)
PLENARY_CHIEF, PLENARY_TELLER, CHAIR = "王秀兰", "刘洋", "丁国强"  # members of the plenary
FILLER_SURNAMES = "李张杨吴郑冯韩曹彭许邓萧田董袁潘蒋蔡余杜叶程苏魏吕"
FILLER_GIVEN = ("伟", "芳", "敏", "军", "勇", "艳", "杰", "涛", "超", "霞", "平", "刚", "建华", "玉梅")


def roster_people() -> list[tuple[str, str, str, str, str]]:
    """40 people: name, unit, gender, retained (是/否), note. Two keep their membership
    without a vote (保留会籍), so E = 38."""
    people = [(name, unit, gender, "否", "") for name, (unit, gender) in NAMED.items()]
    rng = random.Random(11)
    taken = set(NAMED)
    while len(people) < 40:
        name = rng.choice(FILLER_SURNAMES) + rng.choice(FILLER_GIVEN)
        if name in taken:
            continue
        taken.add(name)
        index = len(people)
        retained = "是" if index in (38, 39) else "否"
        people.append((name, UNITS[index % 4], "女" if index % 3 == 0 else "男", retained,
                       "退休" if retained == "是" else ""))
    return people


def roster_csv(people) -> bytes:
    lines = ["姓名,单位,性别,是否保留会籍,备注"] + [",".join(p) for p in people]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- the install

@pytest.fixture
def real_install(tmp_path: Path):
    """A real installation: no demo, the secretariat's password typed twice at first start
    (`flask create-admin`, as scripts/run.sh does with UNION_DEMO=0), nginx + gunicorn."""
    instance = tmp_path / "real-instance"
    instance.mkdir()
    server = LiveServer(instance, front=True)
    password = "e2e-" + secrets.token_urlsafe(16)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "create-admin"], cwd=ROOT,
                   env=server.env, input=f"{password}\n{password}\n", capture_output=True,
                   text=True, check=True)
    server.admin_password = password
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def patient_expect():
    """A loaded machine (2 cores, many test runs): assertions wait up to 15 s for the page
    instead of 5, for this module's tests only."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the screenshots go: $E2E_SHOTS when set (to look at them), else the test's tmp."""
    target = Path(os.environ.get("E2E_SHOTS") or tmp_path / "shots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def new_page(browser, locale: str = "zh-CN") -> Page:
    context = browser.new_context(locale=locale, viewport=VIEWPORT, bypass_csp=True,
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def sign_in(page: Page, url: str | None, username: str, password: str, lands_on: str) -> None:
    if url is not None:  # the one typed address of each person's day
        page.goto(f"{url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(lands_on))


def download(page: Page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def open_pdf(page: Page, selector: str) -> bytes:
    """Click a link to a document the browser shows inline (a PDF) and keep what the server
    sent: Chromium's viewer replaces the page's content, so the bytes are taken on their
    way (the request goes through unchanged); then back to the page the link was on."""
    path = urlsplit(page.locator(selector).get_attribute("href") or "").path
    came_from = page.url
    sent: list = []

    def keep(route) -> None:
        response = route.fetch()
        sent.append((response.status, response.headers.get("content-type"), response.body()))
        route.fulfill(response=response)

    def is_document(url: str) -> bool:
        return urlsplit(url).path == path

    page.route(is_document, keep)
    try:
        page.click(selector)
        page.wait_for_url(is_document)
    finally:
        page.unroute(is_document, keep)
    status, kind, data = sent[0]
    assert status == 200 and kind == "application/pdf", (status, kind)
    page.go_back()
    page.wait_for_url(came_from)
    return data


def pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def squash(text: str) -> str:
    """PDF text without white space (a padded name 万　丽 reads 万丽)."""
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- the paper

def marked_photos(pdf: bytes, layout: dict, votes: list[dict[str, str]], seed: int) -> list[bytes]:
    """Each printed page rendered from the downloaded PDF, marked with a pen as `votes`
    says (○ or ✓ for 赞成, × for 不赞成, nothing for 弃权), then photographed on a table."""
    import pypdfium2 as pdfium

    deck = deck_module()
    document = pdfium.PdfDocument(pdf)
    assert len(document) == len(votes)
    photos = []
    try:
        for index, page in enumerate(document):
            rng = random.Random(seed + index)
            bitmap = page.render(scale=deck.PAGE_PPM * 25.4 / 72, grayscale=True)
            image = np.array(bitmap.to_pil().convert("L"))
            ink, width = rng.randint(10, 50), rng.uniform(0.5, 0.7)
            for candidate in layout["candidates"]:
                choice = votes[index][candidate["name"]]
                if choice == "abstain":
                    continue
                kind = rng.choice(("circle", "check")) if choice == "yes" else "cross"
                deck._draw_symbol(image, kind, candidate["boxes"][choice], deck.PAGE_PPM, rng, ink, width)
            photo, _homography = deck.photograph(image, rng)
            photos.append(photo)
    finally:
        document.close()
    return photos


def printed_layout_of(server: LiveServer, round_id: int) -> dict:
    """Where the boxes are on the printed ballot: read, never written."""
    from app.ballots.round_layout import round_layout

    db = live_db(server)
    try:
        return dict(round_layout(db, round_id))
    finally:
        db.close()


def tally_of(votes: list[dict[str, str]]) -> dict[str, tuple[int, int, int]]:
    names = votes[0].keys()
    return {n: tuple(sum(v[n] == m for v in votes) for m in ("yes", "no", "abstain")) for n in names}


# --------------------------------------------------------------------------- the steps

def create_congress(page: Page, name: str, members: int) -> int:
    form = page.locator("#new-congress-form")
    if not form.is_visible():
        page.click("#new-congress-card summary")
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=kind]").select_option("renewal")
    form.locator("select[name=assembly]").select_option("delegates")
    form.locator("input[name=members]").fill(str(members))
    page.click("#new-congress-save")
    page.wait_for_url(re.compile(r"/admin\?congress=\d+$"))
    expect(page.locator("#body-switcher option:checked")).to_have_text(name)
    return int(page.url.rsplit("=", 1)[1])


def import_roster(page: Page, people) -> None:
    page.click("#day-steps li[data-step=roster] a.step")
    page.set_input_files("#roster-file", files=[{"name": "名册.csv", "mimeType": "text/csv",
                                                  "buffer": roster_csv(people)}])
    page.click("#roster-upload")
    expect(page.locator("#roster-result")).to_contain_text(f"{len(people)}")


def check_in(page: Page, names: list[str]) -> None:
    page.wait_for_load_state("load")  # the search listens from DOMContentLoaded on
    for name in names:
        page.fill("#attendance-search", name)
        page.locator(f"#attendance-table tr:has-text('{name}') button.check-in").click()
        expect(page.locator("#attendance-message")).to_contain_text(name)


@contextmanager
def reloaded_contests(page: Page):
    """Wait until the contests page has reloaded its list after a change (the cards are
    drawn again: a form filled before that would be replaced)."""
    with page.expect_response(lambda r: r.request.method == "GET" and
                              urlsplit(r.url).path.endswith("/contests")) as info:
        yield
    info.value.finished()
    page.wait_for_timeout(100)  # the list is drawn right after its answer arrives


def new_contest(page: Page, title: str, office: str, method: str, seats: int,
                candidates: list[str], threshold_base: str | None = None):
    page.fill("#new-contest input[name=title]", title)
    page.select_option("#new-contest select[name=office]", office)
    page.select_option("#new-contest select[name=method]", method)
    page.fill("#new-contest input[name=seats]", str(seats))
    page.fill("#new-contest textarea[name=candidates]", "\n".join(candidates))
    with reloaded_contests(page):
        page.click("#new-contest-save")
    card = page.locator(f"section.contest:has(h2:has-text('{title}'))")
    expect(card.locator("table.candidates tr")).to_have_count(len(candidates))
    if threshold_base:  # a handful of ballots: the threshold counts against R, not E (R4 setting)
        card.locator("form.settings select[name=threshold_base]").select_option(threshold_base)
        with reloaded_contests(page):
            card.locator("form.settings button[type=submit]").click()
        expect(card.locator("form.settings select[name=threshold_base]")).to_have_value(threshold_base)
    return card


def appoint(page: Page, title: str, person: str, unit: str, role: str, username: str) -> None:
    # The roster's names are offered as the page loads them (a datalist), the unit in
    # brackets of the page's language.
    chinese = page.locator("html").get_attribute("lang") == "zh-CN"
    label = f"{person}（{unit}）" if chinese else f"{person} ({unit})"
    expect(page.locator(f"#roster-people option[value='{label}']")).to_have_count(1)
    card = page.locator(f"section.contest:has(h2:has-text('{title}'))")
    before = card.locator(".officials li").count()
    form = card.locator("form.add-official")
    form.locator("input[name=person]").fill(label)
    form.locator("select[name=role]").select_option(role)
    accounts = form.locator("select[name=user_id] option")
    labels = accounts.all_inner_texts()
    chosen = next(i for i, text in enumerate(labels) if f"{username} " in text)  # "名（用户名 · 职责）"
    form.locator("select[name=user_id]").select_option(accounts.nth(chosen).get_attribute("value"))
    with reloaded_contests(page):
        form.locator("button[type=submit]").click()
    expect(card.locator(".official-error")).to_be_empty()
    expect(card.locator(".officials li")).to_have_count(before + 1)
    expect(card.locator(".officials")).to_contain_text(person)


def open_round(page: Page, title: str) -> None:
    card = page.locator(f"section.contest:has(h2:has-text('{title}'))")
    card.locator("button.open-round").click()
    expect(card.locator(".open-result .ok")).to_be_visible()  # "round 1 is open: E = …, P = …"
    expect(card.locator(".open-result .error")).to_have_count(0)
    expect(card.locator("button.open-round")).to_have_count(0)


def print_ballots(page: Page, round_label: str, count: int) -> tuple[int, bytes]:
    page.locator("#round-select").select_option(label=round_label)
    round_id = int(page.locator("#round-select").input_value())
    page.fill("#print-count", str(count))
    page.click("#print-go")
    expect(page.locator("#print-download")).to_be_visible(timeout=60_000)
    expect(page.locator("#fig-printed")).to_have_text(str(count))
    return round_id, download(page, "#print-download")


def count_photos(page: Page, round_id: int, photos: list[bytes], layout: dict,
                 votes: list[dict[str, str]], correct: tuple[int, str, str] | None = None) -> None:
    """The teller photographs each sheet, checks what was read (a person decides each row
    the reader is unsure of), and confirms. `correct` = (sheet, name, mark): one row
    changed by one tap."""
    page.wait_for_selector(f"#round-select option[value='{round_id}']", state="attached")
    page.select_option("#round-select", str(round_id))
    refs = {c["name"]: c["ref"] for c in layout["candidates"]}
    before = page.locator("#recent li").count()
    for index, photo in enumerate(photos):
        page.set_input_files("#photo-input", files=[{"name": f"IMG_{index:04d}.jpg",
                                                      "mimeType": "image/jpeg", "buffer": photo}])
        try:
            page.wait_for_selector("#ballot-card:not([hidden])", timeout=60_000)
        except PlaywrightTimeout:
            raise AssertionError(f"sheet {index}: {page.text_content('#entry-error')}") from None
        meant = dict(votes[index])
        unsure = page.eval_on_selector_all("#marks tr.unsure", "rows => rows.map(r => r.dataset.ref)")
        for name, ref in refs.items():
            row = page.locator(f"#marks tr[data-ref='{ref}']")
            if ref in unsure:
                row.locator(f"button[data-mark='{meant[name]}']").click()
            else:  # the reader is sure only when it is right
                expect(row.locator("button.on")).to_have_attribute("data-mark", meant[name])
        # A write-in row the reader is unsure of: the sheet's is empty, so the teller
        # leaves it unmarked (one tap decides 赞成, a second takes it back).
        rows = page.locator("#write-ins .write-in")
        for position in [i for i in range(rows.count())
                         if "unsure" in (rows.nth(i).get_attribute("class") or "")]:
            rows.nth(position).locator("button.seg-yes").click()
            expect(rows.nth(position).locator("button.seg-yes")).to_have_attribute("aria-pressed", "true")
            rows.nth(position).locator("button.seg-yes").click()
            expect(rows.nth(position).locator("button.seg-yes")).to_have_attribute("aria-pressed", "false")
        if correct and correct[0] == index:
            _, name, mark = correct
            page.click(f"#marks tr[data-ref='{refs[name]}'] button[data-mark='{mark}']")
            expect(page.locator(f"#marks tr[data-ref='{refs[name]}'] button.on")).to_have_attribute(
                "data-mark", mark)
        page.wait_for_function("document.querySelector('#verdict').dataset.valid === 'true'")
        page.click("#confirm")
        if page.text_content("#ballot-error"):
            raise AssertionError(f"sheet {index}: {page.text_content('#ballot-error')}")
        expect(page.locator("#recent li")).to_have_count(before + index + 1)
        expect(page.locator("#ballot-card")).to_be_hidden()
    page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '0'",
                           timeout=30_000)
    statuses = page.eval_on_selector_all("#recent li", "items => items.map(i => i.dataset.status)")
    assert statuses[:len(photos)] == ["added"] * len(photos), page.inner_text("#recent")


def go(page: Page, place: str) -> None:
    """Follow a link of the top bar: "/admin" (the overview), "/admin/attendance", ..."""
    page.click(f"header nav a[href='{place}'], header nav a[href^='{place}?']")
    page.wait_for_load_state("load")


def create_accounts(page: Page) -> dict[str, str]:
    """From the overview's last step: an account for the chief scrutineer (马超) and one
    for the teller (孙红), each with a new random password."""
    page.click("#day-steps li[data-step=accounts] a.step")
    page.wait_for_load_state("load")
    passwords = {}
    for username, display, role in (("zongjian", CHIEF, "chief_scrutineer"), ("jipiao", TELLER, "teller")):
        passwords[username] = "pw-" + secrets.token_urlsafe(14)
        form = page.locator("#new-user")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=display_name]").fill(display)
        form.locator("select[name=role]").select_option(role)
        form.locator("input[name=password]").fill(passwords[username])
        form.locator("button[type=submit]").click()
        expect(page.locator("#new-user-error")).to_be_empty()
        expect(page.locator(f"#users-table tr[data-username='{username}']")).to_be_visible()
    return passwords


def switch_body(page: Page, name: str) -> None:
    """Choose the congress or plenary in the top bar's switcher (the page follows)."""
    options = page.locator("#body-switcher option")
    texts = [text.lstrip("— ").strip() for text in options.all_inner_texts()]
    value = options.nth(texts.index(name)).get_attribute("value")
    with page.expect_navigation():
        page.locator("#body-switcher").select_option(value)
    expect(page.locator("#body-switcher option:checked")).to_contain_text(name)


def enter_returned(page: Page, row, returned: int) -> None:
    row.locator("a.enter-r").click()
    page.wait_for_url(re.compile(r"/admin/ballots\?"))
    page.wait_for_load_state("load")
    expect(page.locator("#fig-printed")).to_have_text(re.compile(r"^\d+$"))  # the round is loaded
    page.fill("#returned-input", str(returned))
    page.locator("#returned-form button").click()
    expect(page.locator("#figures-error")).to_be_empty()
    expect(page.locator("#fig-returned")).to_have_text(str(returned))
    page.click("a.brand")
    page.wait_for_url(re.compile(r"/scrutineer"))


def close_and_seal(page: Page, row, tally: dict[str, tuple[int, int, int]], elected: list[str],
                   shot: Path | None = None) -> None:
    row.locator("a.close-round").click()
    page.wait_for_url(re.compile(r"/board/rounds/\d+/close$"))
    expect(page.locator("#signing")).to_be_visible()
    for name, (yes, no, abstain) in tally.items():
        cells = page.locator(f"#closing-tally tbody tr:has-text('{name}') td")
        expect(cells.nth(1)).to_have_text(str(yes))
        expect(cells.nth(2)).to_have_text(str(no))
        expect(cells.nth(3)).to_have_text(str(abstain))
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    boxes = page.locator("#signers input[type=checkbox]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.click("#seal")
    expect(page.locator("#after-seal")).to_be_visible()
    for name in elected:
        expect(page.locator("#closing-elected")).to_contain_text(name)
    shown = page.inner_text("#closing-elected")
    assert sorted(elected, key=shown.index) == elected, shown  # in R9 order


# --------------------------------------------------------------------------- the day

COMMITTEE_VOTES = (
    [{**{n: "yes" for n in COMMITTEE_ELECTED}, "黄志刚": "no"}] * 6
    + [{**{n: "yes" for n in COMMITTEE_ELECTED if n != "周丽华"}, "黄志刚": "yes", "周丽华": "no"}] * 2)
AUDIT_VOTES = ([{n: "yes" for n in AUDIT}] * 6 + [{"石建平": "yes", "赵敏": "no", "徐静": "yes"}]
               + [{"石建平": "yes", "赵敏": "yes", "徐静": "abstain"}])
CHAIR_VOTES = [{CHAIR: "yes"}] * 4


def test_a_congress_day_in_chinese_by_clicking_only(real_install, browser, shots):
    started = time.monotonic()
    url = real_install.url
    people = roster_people()
    congress_name = "东风机械厂工会第三次会员代表大会"
    present = [p[0] for p in people if p[3] == "否"][:35]
    admin = new_page(browser)
    sign_in(admin, url, "admin", real_install.admin_password, r"/admin$")
    expect(admin.locator("#new-congress-form")).to_be_visible()  # a real install starts empty

    # The secretariat: congress, roster, attendance.
    create_congress(admin, congress_name, 40)
    import_roster(admin, people)
    expect(admin.locator("#q-entitled")).to_have_text("38")
    admin.click("nav >> text=大会概况")
    admin.click("#day-steps li[data-step=attendance] a.step")
    check_in(admin, present)
    expect(admin.locator("#q-present")).to_have_text("35")
    admin.screenshot(path=str(shots / "zh-1-attendance.png"), full_page=True)

    # Accounts for the chief scrutineer and the teller.
    admin.click("nav >> text=大会概况")
    passwords = create_accounts(admin)
    chief_account, teller_account = "zongjian", "jipiao"

    # Contests and officials: 主席 is left to the committee's first plenary.
    admin.click("nav >> text=大会概况")
    admin.click("#day-steps li[data-step=contests] a.step")
    admin.locator("#leaders-form select[name=leaders_elected_by]").select_option("plenary")
    admin.locator("#leaders-form button[type=submit]").click()
    expect(admin.locator("#leaders-result")).not_to_be_empty()
    offices = admin.locator("#new-contest select[name=office] option").all_inner_texts()
    assert "工会主席" not in "".join(offices)
    new_contest(admin, "第三届工会委员会委员", "committee", "differential", 5, COMMITTEE, "returned_ballots")
    new_contest(admin, "第三届经费审查委员会委员", "audit_committee", "equal", 3, AUDIT, "returned_ballots")
    for title in ("第三届工会委员会委员", "第三届经费审查委员会委员"):
        appoint(admin, title, CHIEF, NAMED[CHIEF][0], "chief_scrutineer", chief_account)
        appoint(admin, title, TELLER, NAMED[TELLER][0], "teller", teller_account)
        open_round(admin, title)
    admin.screenshot(path=str(shots / "zh-2-contests.png"), full_page=True)

    # Print: each round's ballots, as one PDF each.
    admin.click("nav >> text=大会概况")
    admin.click("#day-steps li[data-step=print] a.step")
    committee_round, committee_pdf = print_ballots(
        admin, f"{congress_name} · 第三届工会委员会委员 · 第 1 轮 · 进行中", len(COMMITTEE_VOTES))
    audit_round, audit_pdf = print_ballots(
        admin, f"{congress_name} · 第三届经费审查委员会委员 · 第 1 轮 · 进行中", len(AUDIT_VOTES))
    admin.screenshot(path=str(shots / "zh-3-print.png"), full_page=True)
    header = squash(pdf_text(committee_pdf).split("\n\n")[0])
    assert congress_name in header and "选票" in header

    # The teller counts from photos of the marked sheets.
    teller = new_page(browser)
    sign_in(teller, url, "jipiao", passwords["jipiao"], r"/teller$")
    committee_layout = printed_layout_of(real_install, committee_round)
    audit_layout = printed_layout_of(real_install, audit_round)
    committee_votes = [dict(v) for v in COMMITTEE_VOTES]
    committee_photos = marked_photos(committee_pdf, committee_layout, committee_votes, 100)
    count_photos(teller, committee_round, committee_photos, committee_layout, committee_votes,
                 correct=(0, "黄志刚", "abstain"))
    committee_votes[0]["黄志刚"] = "abstain"
    teller.screenshot(path=str(shots / "zh-4-teller.png"), full_page=True)
    count_photos(teller, audit_round, marked_photos(audit_pdf, audit_layout, AUDIT_VOTES, 200),
                 audit_layout, AUDIT_VOTES)
    expect(teller.locator("#my-count")).to_have_text(str(len(AUDIT_VOTES)))

    # The chief scrutineer: R, close and seal, the count report and the announcement.
    chief = new_page(browser)
    sign_in(chief, url, "zongjian", passwords["zongjian"], r"/scrutineer$")
    expect(chief.locator("#round-steps tbody tr")).to_have_count(2)
    for round_id, title, votes, elected in (
            (committee_round, "第三届工会委员会委员", committee_votes, COMMITTEE_ELECTED),
            (audit_round, "第三届经费审查委员会委员", AUDIT_VOTES, AUDIT_ELECTED)):
        row = chief.locator(f"#round-steps tr[data-round='{round_id}']")
        enter_returned(chief, row, len(votes))
        close_and_seal(chief, row, tally_of(votes), elected,
                       shots / f"zh-5-close-{round_id}.png" if round_id == committee_round else None)
        expect(chief.locator("#closing-figures")).to_contain_text(str(len(votes)))
        count_pdf = open_pdf(chief, "#report-count")
        (shots / f"zh-count-report-{round_id}.pdf").write_bytes(count_pdf)
        report = squash(pdf_text(count_pdf))
        assert congress_name in report and title in report
        for name, (yes, _no, _abstain) in tally_of(votes).items():
            assert name in report and str(yes) in report
        announcement_pdf = open_pdf(chief, "#report-announcement")
        (shots / f"zh-announcement-{round_id}.pdf").write_bytes(announcement_pdf)
        announcement = squash(pdf_text(announcement_pdf))
        assert "".join(elected) in announcement  # the elected, in R9 order
        chief.click("a.brand")
        chief.wait_for_url(re.compile(r"/scrutineer"))
        sealed_link = chief.locator(f"#round-steps tr[data-round='{round_id}'] a.close-round")
        expect(sealed_link).to_contain_text("已封存")

    # R13: the new committee's first plenary elects the chair.
    admin.click("nav >> text=选举事项")
    admin.locator("#plenaries li:has-text('第三届工会委员会') button.plenary-start").click()
    admin.wait_for_url(re.compile(r"/admin/contests\?congress=\d+$"))
    expect(admin.locator("#q-entitled")).to_have_text("5")
    plenary_name = admin.locator("#body-switcher option:checked").inner_text().lstrip("— ").strip()
    admin.click("nav >> text=签到")
    check_in(admin, COMMITTEE_ELECTED[:4])
    expect(admin.locator("#q-present")).to_have_text("4")
    admin.click("nav >> text=选举事项")
    new_contest(admin, "工会主席", "chair", "equal", 1, [CHAIR])
    appoint(admin, "工会主席", PLENARY_CHIEF, NAMED[PLENARY_CHIEF][0], "chief_scrutineer", chief_account)
    appoint(admin, "工会主席", PLENARY_TELLER, NAMED[PLENARY_TELLER][0], "teller", teller_account)
    open_round(admin, "工会主席")
    admin.click("nav >> text=大会概况")
    admin.click("#day-steps li[data-step=print] a.step")
    chair_round, chair_pdf = print_ballots(admin, f"{plenary_name} · 工会主席 · 第 1 轮 · 进行中",
                                           len(CHAIR_VOTES))
    chair_layout = printed_layout_of(real_install, chair_round)
    teller.reload()
    count_photos(teller, chair_round, marked_photos(chair_pdf, chair_layout, CHAIR_VOTES, 300),
                 chair_layout, CHAIR_VOTES)
    chief.click("a.brand")  # the page was drawn before the plenary existed
    chief.wait_for_url(re.compile(r"/scrutineer"))
    switch_body(chief, plenary_name)
    row = chief.locator(f"#round-steps tr[data-round='{chair_round}']")
    enter_returned(chief, row, len(CHAIR_VOTES))
    row = chief.locator(f"#round-steps tr[data-round='{chair_round}']")
    close_and_seal(chief, row, tally_of(CHAIR_VOTES), [CHAIR])

    # The report to the higher union, from a sealed round of the congress.
    chief.click("a.brand")
    chief.wait_for_url(re.compile(r"/scrutineer"))
    switch_body(chief, congress_name)
    chief.locator(f"#round-steps tr[data-round='{committee_round}'] a.close-round").click()
    chief.wait_for_url(re.compile(r"/board/rounds/\d+/close$"))
    higher = open_pdf(chief, "#report-congress")
    (shots / "zh-higher-union-report.pdf").write_bytes(higher)
    report = pdf_text(higher)
    flat = squash(report)
    plenary = squash(plenary_name)
    assert flat.startswith(congress_name) and plenary in flat
    congress_part, plenary_part = flat.split(plenary, 1)
    # Each body's elected, in R9 order, each with gender and unit from the roster.
    for part, body_title, elected, women in (
            (congress_part, "第三届工会委员会委员", COMMITTEE_ELECTED, "其中女性3名，占60.0%（共5名）"),
            (congress_part, "第三届经费审查委员会委员", AUDIT_ELECTED, "其中女性2名，占66.7%（共3名）"),
            (plenary_part, "工会主席", [CHAIR], "其中女性0名，占0.0%（共1名）")):
        body = part[part.index(f"{body_title}（应选{len(elected)}名，当选{len(elected)}名）"):]
        rows = [f"{i}{name}{NAMED[name][1]}{NAMED[name][0]}" for i, name in enumerate(elected, 1)]
        assert body.startswith(rows[0], body.index("工作单位") + 4), body[:200]
        assert "".join(rows) in body, body[:300]
        assert women in body
    assert "黄志刚" not in flat[:flat.index("附：")]  # not elected: only in the attached count reports
    elapsed = time.monotonic() - started
    print(f"\nthe Chinese day took {elapsed:.1f} s")


# --------------------------------------------------------------------------- in English

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
LABELS = ("label, button, h1, h2, h3, th, dt, summary, legend, header nav a, .badge, "
          "select:not(#body-switcher):not([name=user_id]) option")  # the switch to 中文 is meant


def assert_no_cjk(page: Page, names: list[str], where: str) -> None:
    """No Chinese in the page's labels, buttons, headings and choices, once the names of
    people, units and the congress (data, not words of the interface) are taken out."""
    texts = page.eval_on_selector_all(LABELS, "nodes => nodes.filter((n) => n.id !== 'lang-switch')"
                                              ".map((n) => n.innerText)")
    found = []
    for text in texts:
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, "")
        if CJK.search(text):
            found.append(text.strip())
    assert not found, f"{where}: {found}"


AUDIT_VOTES_EN = [{n: "yes" for n in AUDIT}] * 3 + [{"石建平": "yes", "赵敏": "no", "徐静": "yes"}]


def test_a_shorter_day_in_english_by_clicking_only(real_install, browser, shots):
    started = time.monotonic()
    url = real_install.url
    people = [p for p in roster_people() if p[0] in NAMED] + [p for p in roster_people()[11:13]]
    congress_name = "东风机械厂工会第四次会员代表大会"
    title = "第四届经费审查委员会委员"
    names = [congress_name, title, *(p[0] for p in people), *UNITS]
    admin = new_page(browser)
    admin.goto(f"{url}/login")
    admin.click("#lang-switch")  # to English, kept by a cookie from here on
    expect(admin.locator("#lang-switch")).to_have_text("中文")
    sign_in(admin, None, "admin", real_install.admin_password, r"/admin")
    assert_no_cjk(admin, names, "overview, empty")

    create_congress(admin, congress_name, len(people))
    assert_no_cjk(admin, names, "overview")
    import_roster(admin, people)
    expect(admin.locator("#q-entitled")).to_have_text(str(len(people)))
    assert_no_cjk(admin, names, "roster")
    go(admin, "/admin/attendance")
    check_in(admin, [p[0] for p in people][:11])
    expect(admin.locator("#q-present")).to_have_text("11")
    assert_no_cjk(admin, names, "attendance")
    go(admin, "/admin")
    passwords = create_accounts(admin)
    assert_no_cjk(admin, names, "accounts")
    go(admin, "/admin")
    admin.click("#day-steps li[data-step=contests] a.step")
    new_contest(admin, title, "audit_committee", "equal", 3, AUDIT, "returned_ballots")
    appoint(admin, title, CHIEF, NAMED[CHIEF][0], "chief_scrutineer", "zongjian")
    appoint(admin, title, TELLER, NAMED[TELLER][0], "teller", "jipiao")
    open_round(admin, title)
    assert_no_cjk(admin, names, "contests")
    admin.screenshot(path=str(shots / "en-1-contests.png"), full_page=True)
    go(admin, "/admin")
    admin.click("#day-steps li[data-step=print] a.step")
    option = admin.locator("#round-select option").first
    expect(option).to_contain_text(f"{congress_name} · {title} · round 1", ignore_case=True)
    round_id, pdf = print_ballots(admin, option.inner_text(), len(AUDIT_VOTES_EN))
    assert_no_cjk(admin, names, "ballots")

    teller = new_page(browser)
    teller.goto(f"{url}/login")
    teller.click("#lang-switch")
    sign_in(teller, None, "jipiao", passwords["jipiao"], r"/teller")
    layout = printed_layout_of(real_install, round_id)
    count_photos(teller, round_id, marked_photos(pdf, layout, AUDIT_VOTES_EN, 400), layout, AUDIT_VOTES_EN)
    assert_no_cjk(teller, names, "teller")
    teller.screenshot(path=str(shots / "en-2-teller.png"), full_page=True)

    chief = new_page(browser)
    chief.goto(f"{url}/login")
    chief.click("#lang-switch")
    sign_in(chief, None, "zongjian", passwords["zongjian"], r"/scrutineer")
    assert_no_cjk(chief, names, "scrutineer")
    row = chief.locator(f"#round-steps tr[data-round='{round_id}']")
    enter_returned(chief, row, len(AUDIT_VOTES_EN))
    row = chief.locator(f"#round-steps tr[data-round='{round_id}']")
    close_and_seal(chief, row, tally_of(AUDIT_VOTES_EN), AUDIT_ELECTED, shots / "en-3-close.png")
    assert_no_cjk(chief, names, "close and seal")
    report = pdf_text(open_pdf(chief, "#report-congress"))
    flat = squash(report)
    assert all(name in flat for name in AUDIT_ELECTED)
    remainder = report
    for name in sorted(names, key=len, reverse=True):
        remainder = remainder.replace(name, "")
    assert not CJK.search(remainder), CJK.findall(remainder)
    print(f"\nthe English day took {time.monotonic() - started:.1f} s")
