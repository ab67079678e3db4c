"""A tablet is enrolled for a teller by scanning a one-time, short-lived QR code shown on
the secretariat's page; forged, expired and spent codes get a clear page in Chinese."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image

from app.security import clock
from tests.conftest import DEMO_PASSWORD

# `demo` and `demo_template`: tests/conftest.py's (the demo built once per test process).


@pytest.fixture
def admin(signed_in):
    return signed_in("admin")


def user_id(admin, username: str) -> int:
    return next(account["id"] for account in admin.get("/api/users").json["users"]
                if account["username"] == username)


def enroll(admin, username: str = "teller1") -> dict:
    response = admin.post(f"/api/users/{user_id(admin, username)}/enrollment")
    assert response.status_code == 201, response.json
    return response.json


def decode_qr(data_uri: str) -> str:
    assert data_uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))
    [barcode] = zxingcpp.read_barcodes(image)
    return barcode.text


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def open_and_confirm(app, url: str):
    """What the tablet's browser does: open the page, then post its form (with the page's
    CSRF token, as the page's script submits it)."""
    tablet = app.test_client()
    page = tablet.get(path_of(url))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert page.status_code == 200 and token, page.get_data(as_text=True)
    return tablet, page, tablet.post(path_of(url), data={"csrf_token": token[1]})


def test_qr_code_holds_the_enrollment_url_that_signs_the_tablet_in_as_the_teller(app, admin):
    issued = enroll(admin)
    assert decode_qr(issued["qr_png"]) == issued["url"]
    assert re.fullmatch(r"http://localhost/enroll/[A-Za-z0-9_-]{32}", issued["url"])
    assert issued["lifetime_seconds"] == 600
    tablet, page, response = open_and_confirm(app, issued["url"])
    assert "本平板将登录为计票人" in page.get_data(as_text=True)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert tablet.get("/api/session").json["user"]["username"] == "teller1"


def test_only_the_tokens_hash_is_stored(app, admin):
    issued = enroll(admin)
    token = issued["url"].rsplit("/", 1)[1]
    from app.db import get_db

    with app.app_context():
        db = get_db()
        stored = [tuple(row) for row in db.execute("SELECT * FROM enrollment_token")]
        audit = [tuple(row) for row in db.execute("SELECT * FROM audit_log")]
    assert token not in repr(stored) and token not in repr(audit)
    assert hashlib.sha256(token.encode()).hexdigest() in repr(stored)


def test_enrollment_is_audited_on_issue_and_on_redeem(app, admin):
    issued = enroll(admin)
    open_and_confirm(app, issued["url"])
    from app.db import get_db

    with app.app_context():
        rows = get_db().execute("SELECT actor, action FROM audit_log WHERE action LIKE 'enrollment.%'"
                                " ORDER BY id").fetchall()
    assert [tuple(row) for row in rows] == [("admin:admin", "enrollment.issue"),
                                            ("teller:teller1", "enrollment.redeem")]


def test_a_spent_code_cannot_sign_in_a_second_tablet(app, admin):
    issued = enroll(admin)
    open_and_confirm(app, issued["url"])
    second = app.test_client()
    page = second.get(path_of(issued["url"]))
    assert page.status_code == 410
    assert "此登记二维码已经使用过，不能再次使用" in page.get_data(as_text=True)
    token = second.get("/api/session").json["csrf_token"]
    response = second.post(path_of(issued["url"]), data={"csrf_token": token})
    assert response.status_code == 410
    assert second.get("/api/session").json["user"] is None


def test_an_expired_code_gets_a_page_saying_so(app, admin, monkeypatch):
    issued = enroll(admin)
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + timedelta(minutes=10, seconds=1))
    tablet = app.test_client()
    page = tablet.get(path_of(issued["url"]))
    assert page.status_code == 410
    assert "此登记二维码已过期（有效期 10 分钟）" in page.get_data(as_text=True)
    assert tablet.get("/api/session").json["user"] is None


def test_a_code_still_works_just_before_it_expires(app, admin, monkeypatch):
    issued = enroll(admin)
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + timedelta(minutes=9, seconds=50))
    tablet, _, response = open_and_confirm(app, issued["url"])
    assert response.status_code == 303


def test_a_forged_code_gets_a_page_saying_it_is_not_valid(app, client):
    page = client.get("/enroll/" + "A" * 32)
    assert page.status_code == 404
    assert "此登记二维码无效" in page.get_data(as_text=True)
    token = client.get("/api/session").json["csrf_token"]
    assert client.post("/enroll/" + "A" * 32, data={"csrf_token": token}).status_code == 404
    assert client.get("/api/session").json["user"] is None


def test_refusal_pages_speak_english_on_request(client):
    page = client.get("/enroll/forged-token?lang=en")
    assert "This enrollment QR code is not valid." in page.get_data(as_text=True)


def test_redeeming_needs_the_pages_csrf_token(app, admin):
    issued = enroll(admin)
    tablet = app.test_client()
    response = tablet.post(path_of(issued["url"]))
    assert response.status_code == 400
    assert tablet.get("/api/session").json["user"] is None
    open_and_confirm(app, issued["url"])  # the refused attempt did not spend it


def test_a_code_for_a_teller_deactivated_since_does_not_sign_in(app, admin):
    issued = enroll(admin)
    admin.post(f"/api/users/{user_id(admin, 'teller1')}/deactivate")
    page = app.test_client().get(path_of(issued["url"]))
    assert page.status_code == 410
    assert "计票人账号已停用" in page.get_data(as_text=True)


@pytest.mark.parametrize("username", ["admin", "chief", "scrutineer"])
def test_tablets_are_enrolled_for_tellers_only(admin, username):
    response = admin.post(f"/api/users/{user_id(admin, username)}/enrollment")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "enroll_not_teller"
    assert "只能为计票人登记平板" in response.json["error"]["message"]


def test_enrolling_an_unknown_user_is_404(admin):
    response = admin.post("/api/users/4242/enrollment")
    assert response.status_code == 404
    assert response.json["error"]["message"] == "找不到该用户（可能已被删除），请刷新页面。"


def test_the_qr_url_uses_the_configured_public_address(app, admin):
    app.config["PUBLIC_BASE_URL"] = "http://192.168.8.2:8000/"
    assert enroll(admin)["url"].startswith("http://192.168.8.2:8000/enroll/")


def test_secretariat_enrolls_a_tablet_in_a_real_browser(live_server, browser):
    """The whole flow on the production server: the admin opens 账号管理, presses 登记平板
    for teller2, and a second browser (the tablet) opens the QR's URL and lands signed in."""
    desk = browser.new_context(locale="zh-CN", bypass_csp=True)  # CSP forbids eval; see conftest
    tablet = browser.new_context(locale="zh-CN", bypass_csp=True)
    try:
        page = desk.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: not url.endswith("/login"))
        page.goto(f"{live_server.url}/admin/users")
        # Opened on the server itself, the page offers the LAN addresses first; the test's
        # server listens on loopback only, so its "tablet" (on this machine) takes that one.
        page.select_option("#enroll-base", live_server.url.rstrip("/"))
        page.locator("tr[data-username=teller2] button", has_text="登记平板").click()
        qr = page.locator("#enroll-qr")
        qr.wait_for(state="visible")
        assert "登录为计票人" in page.locator("#enroll-heading").inner_text()
        url = page.locator("#enroll-url").inner_text()
        assert decode_qr(qr.get_attribute("src")) == url
        tablet_page = tablet.new_page()
        tablet_page.set_default_timeout(10_000)
        tablet_page.goto(url)
        tablet_page.wait_for_function("() => !location.pathname.startsWith('/enroll')")
        who = tablet_page.evaluate("() => fetch('/api/session').then((r) => r.json())")
        assert who["user"]["username"] == "teller2"
        again = tablet.new_page()
        again.goto(url)
        assert "已经使用过" in again.locator("#enroll-refused").inner_text()
    finally:
        desk.close()
        tablet.close()
