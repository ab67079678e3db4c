"""Limits and plausibility through a real server: bad bodies are clear 4xx, never 500;
security headers; the sign-in limit holds across workers; CSV cells are not formulas;
a full disk is a 503 that says so; the session cookie is Secure under HTTPS."""

from __future__ import annotations

import io
import sqlite3
import uuid

import httpx
import pytest
from PIL import Image

from tests.conftest import DEMO_PASSWORD, LiveServer, sign_in
from tests.support.http import signed_in_client


def test_the_probes_500s_are_clear_400s_now(live_server):
    admin = signed_in_client(live_server.url, "admin")
    rounds = admin.get("/api/ballot-rounds").json()
    round_id = rounds[0]["round_id"]
    assert rounds[0]["state"] == "open"  # the demo opens round 1 of every contest
    teller = signed_in_client(live_server.url, "teller1")
    json_type = {"Content-Type": "application/json"}
    cases = {
        "long number": '{"client_id": "x", "serial": "A", "marks": {}, "n": ' + "9" * 4400 + "}",
        "deep nesting": "[" * 1000 + "]" * 1000,
        "lone surrogate": ('{"client_id": "' + str(uuid.uuid4()) + '", "serial": "AAAAA-AAAAA", '
                           '"marks": {}, "invalid": true, "invalid_reason": "\\ud800x"}'),
    }
    for name, body in cases.items():
        response = teller.post(f"/api/rounds/{round_id}/ballots", content=body, headers=json_type)
        assert response.status_code == 400, (name, response.text)
        assert response.json()["error"]["message"].startswith("请求有误"), name
    board = httpx.get(f"{live_server.url}/api/results/board",
                      params={"congress_id": "9" * 30}, timeout=30)
    assert board.status_code in (400, 404, 422) and "error" in board.json()
    huge_round = teller.get("/api/rounds/" + "9" * 30 + "/progress")
    assert huge_round.status_code in (400, 404)
    png = io.BytesIO()
    Image.new("RGB", (1, 1)).save(png, "PNG")
    scan = teller.post(f"/api/rounds/{round_id}/scan",
                       files={"photo": ("p.png", png.getvalue(), "image/png")})
    assert scan.status_code == 422 and "太小" in scan.json()["error"]["message"]
    assert "server_error" not in (live_server.instance / "server.log").read_text()


def test_security_headers_on_pages_and_api(live_server):
    for path in ("/login", "/board", "/api/health"):
        headers = httpx.get(f"{live_server.url}{path}", timeout=30).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


def test_the_sign_in_limit_is_shared_by_all_workers(tmp_path, live_demo):
    instance = tmp_path / "instance"
    instance.mkdir()
    server = LiveServer(instance, workers=3, threads=2)
    server.env["UNION_LOGIN_RATE_LIMIT"] = "5 per minute"
    server.load_demo(live_demo)
    server.start()
    try:
        statuses = []
        for _ in range(30):  # a new connection each time: the workers share them out
            with httpx.Client(base_url=server.url, timeout=30) as client:
                token = client.get("/api/session").json()["csrf_token"]
                statuses.append(client.post("/api/session", headers={"X-CSRFToken": token},
                                            json={"username": "admin", "password": "wrong-guess"}
                                            ).status_code)
        assert statuses.count(401) == 5 and statuses.count(429) == 25, statuses
    finally:
        server.stop()


def test_formula_cells_are_written_as_text():
    import csv

    from app.security.csv_cells import FormulaSafeWriter

    out = io.StringIO()
    FormulaSafeWriter(out).writerow(['=HYPERLINK("http://x","点")', "+1", "-2", "@SUM(A1)", "王伟", 3, -4])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["'=HYPERLINK(\"http://x\",\"点\")", "'+1", "'-2", "'@SUM(A1)", "王伟", "3", "-4"]


def test_a_full_disk_is_a_503_that_says_so(app, demo, monkeypatch):
    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    client = app.test_client()
    sign_in(client, "admin")
    monkeypatch.setattr("app.api.congress.check_in_person", full)
    people = client.get(f"/api/congresses/{demo['congress_id']}/people").json["people"]
    absent = next(p for p in people if not p["present"])
    response = client.post(f"/api/congresses/{demo['congress_id']}/attendance",
                           json={"person_id": absent["id"]})
    assert response.status_code == 503 and "磁盘已满" in response.json["error"]["message"]

    app.config["MIN_FREE_BYTES"] = 1 << 62  # more than any disk has
    health = client.get("/api/health")
    assert health.status_code == 503 and health.json["status"] == "disk_full"
    assert "磁盘" in health.json["message"]


@pytest.mark.parametrize("base, secure", [("https://localhost", True), ("http://localhost", False)])
def test_the_session_cookie_is_secure_under_https(app, demo, base, secure):
    client = app.test_client()
    token = client.get("/api/session", base_url=base).json["csrf_token"]
    response = client.post("/api/session", base_url=base,
                           headers={"X-CSRFToken": token, "Referer": f"{base}/login"},
                           json={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert ("Secure" in cookie) == secure


def test_a_roster_that_unpacks_huge_or_has_too_many_rows_is_refused_quickly(app, demo):
    import time

    from openpyxl import Workbook

    client = app.test_client()
    sign_in(client, "admin")
    congress = demo["congress_id"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "单位"])
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅文斌辉鹏飞晨雪琳婷宇浩宁波"
    for number in range(20_001):
        size = len(given)
        sheet.append(["王" + given[number % size] + given[number // size % size]
                      + given[number // size // size],
                      "车间"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.monotonic()
    response = client.post(f"/api/congresses/{congress}/roster",
                           data={"file": (io.BytesIO(buffer.getvalue()), "big.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code in (400, 413, 422), response.json
    assert "20000 行" in response.json["error"]["message"]
    assert time.monotonic() - started < 60
    assert client.get(f"/api/congresses/{congress}/people").json["total"] == 126  # nothing added
