"""A form pressed before the page's script has loaded (slow hall Wi-Fi) is not sent by the
browser as a GET of the page (losing the chosen file): it is held and sent by the page's
script once that has loaded. The page script is held back on purpose to make the race
certain."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import sign_in

ROSTER = "姓名,单位,是否保留会籍\n早按甲,测试车间,否\n".encode("gb18030")


def test_a_roster_upload_pressed_before_the_script_loads_is_sent_once_it_has(live_server, page):
    sign_in(page, live_server.url, "admin", re.compile(r"/admin$"))

    held_back = []
    page.route("**/static/admin.js*", lambda route: held_back.append(route))  # not answered yet
    page.goto(f"{live_server.url}/admin/roster", wait_until="commit")
    expect(page.locator("#roster-upload")).to_be_visible()
    page.set_input_files("#roster-file", files=[{"name": "名册.csv", "mimeType": "text/csv",
                                                  "buffer": ROSTER}])
    page.click("#roster-upload", no_wait_after=True)
    page.wait_for_timeout(300)
    assert held_back, "the page script was not requested"
    assert "file=" not in page.url  # not sent by the browser as a GET of the page

    with page.expect_response(lambda r: r.request.method == "POST" and "/roster" in r.url) as sent:
        held_back[0].continue_()
    assert sent.value.status == 201  # imported
    expect(page.locator("#roster-result")).to_contain_text("已导入 1 人")
    assert "file=" not in page.url
