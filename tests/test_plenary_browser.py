"""R13 in a real browser against the real server: the committee election is sealed; the
secretariat starts the new committee's first plenary from the contests page, lands on the
plenary (its roster is the nine elected, E = 9), checks a member in, and finds only the
plenary's own offices offered for a new contest. Screenshots at four sizes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_PASSWORD, ROOT, LiveServer
from playwright.sync_api import expect

SEAL_COMMITTEE = """
import json, sys
from app import create_app
from app.db import get_db
from app.demo import run_demo_contest
ids = json.loads(sys.argv[1])
app = create_app()
with app.app_context():
    db = get_db()
    contest = ids["contest_ids"]["committee"]
    signers = [(r["name"], r["role"]) for r in db.execute(
        "SELECT name, role FROM contest_official WHERE contest_id = ?", [contest])]
    run_demo_contest(db, contest, signers, "test", app.config["BALLOT_KEY"])
"""
SIZES = ((768, 1024), (1024, 768), (1366, 768), (1920, 1080))


@pytest.fixture
def sealed_server(tmp_path: Path, live_demo):
    """The demo congress with its committee election held and sealed, served by gunicorn."""
    instance = tmp_path / "live-instance"
    instance.mkdir()
    server = LiveServer(instance)
    server.load_demo(live_demo)
    subprocess.run([sys.executable, "-c", SEAL_COMMITTEE, json.dumps(server.demo)], cwd=ROOT,
                   env=server.env, check=True, capture_output=True)
    server.start()
    yield server
    server.stop()


def test_secretariat_starts_the_first_plenary_and_takes_attendance(sealed_server, page, tmp_path):
    url = sealed_server.url
    page.goto(f"{url}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin$"))

    page.goto(f"{url}/admin/contests")
    section = page.locator("#plenaries")
    expect(section).to_contain_text("第五届工会委员会第一次全体会议")
    expect(section).to_contain_text("尚不能召开")  # the 经审委 election is not held yet
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        section.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"congress-plenaries-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    section.locator("button.plenary-start").click()

    page.wait_for_url(re.compile(r"/admin/contests\?congress=\d+$"))
    expect(page.locator("#plenary-of")).to_contain_text("青石镇总工会第五次会员代表大会")
    expect(page.locator("#q-entitled")).to_have_text("9")
    expect(page.locator("#q-present")).to_have_text("0")
    offices = page.locator("#new-contest select[name=office] option").all_inner_texts()
    assert "委员会委员" not in offices and "常务委员会委员" in offices
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"plenary-contests-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    # Attendance among the members: the nav keeps the plenary chosen.
    page.click("nav >> text=签到")
    page.wait_for_url(re.compile(r"/admin/attendance\?congress=\d+$"))
    expect(page.locator("#plenary-of")).to_be_visible()
    plenary_id = int(page.url.rsplit("=", 1)[1])
    people = page.request.get(f"{url}/api/congresses/{plenary_id}/people").json()["people"]
    assert len(people) == 9
    page.fill("#attendance-search", people[0]["name"])
    page.locator("#attendance-table tr button.check-in").first.click()
    expect(page.locator("#attendance-message")).to_contain_text(people[0]["name"])
    expect(page.locator("#q-present")).to_have_text("1")
    congress_id = sealed_server.demo["congress_id"]
    delegates = page.request.get(f"{url}/api/congresses/{congress_id}/people?limit=200").json()["people"]
    members = {p["name"] for p in people}
    outsider = next(p["name"] for p in delegates if p["name"] not in members and p["entitled"])
    page.fill("#attendance-search", outsider)
    expect(page.locator("#attendance-table tbody tr")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "plenary-attendance-1366x768.png"), full_page=True)

    # Back to the congress: the plenary is linked from where it was started.
    page.locator("#plenary-of a").click()
    expect(page.locator("#q-entitled")).to_have_text(str(sealed_server.demo["entitled"]))
    page.goto(f"{url}/admin/contests")
    expect(page.locator("#plenaries a.button")).to_have_text("进入全体会议")
