"""Server-side sessions through a real server: a cookie captured before sign-out, a
password reset or a deactivation no longer works; the role comes from the database."""

from __future__ import annotations

import sqlite3

import httpx

from tests.support.http import signed_in_client


def _replay(url: str, captured: httpx.Client) -> httpx.Client:
    """Another client holding a copy of the captured cookie and CSRF token."""
    return httpx.Client(base_url=url, timeout=30, cookies=dict(captured.cookies),
                        headers={"X-CSRFToken": captured.headers["X-CSRFToken"]})


def test_a_cookie_captured_before_logout_no_longer_works(live_server):
    admin = signed_in_client(live_server.url, "admin")
    thief = _replay(live_server.url, admin)
    congress = live_server.demo["congress_id"]
    assert thief.get("/api/users").status_code == 200  # the copy works while signed in
    assert admin.delete("/api/session").status_code == 200
    assert thief.get("/api/users").status_code == 401
    refused = thief.patch(f"/api/congresses/{congress}", json={"name": "改名"})
    assert refused.status_code in (401, 403)
    assert thief.get("/api/session").json()["user"] is None


def test_password_reset_and_deactivation_end_sessions_at_once(live_server):
    admin = signed_in_client(live_server.url, "admin")
    teller = signed_in_client(live_server.url, "teller2")
    copy = _replay(live_server.url, teller)
    assert copy.get("/api/ballot-rounds").status_code == 200
    teller_id = live_server.demo["user_ids"]["teller2"]
    assert admin.post(f"/api/users/{teller_id}/password",
                      json={"password": "Xq7-rotating-kettle-91"}).status_code == 200
    assert teller.get("/api/ballot-rounds").status_code == 401
    assert copy.get("/api/ballot-rounds").status_code == 401

    chief = signed_in_client(live_server.url, "chief")
    assert admin.post(f"/api/users/{live_server.demo['user_ids']['chief']}/deactivate").status_code == 200
    assert chief.get("/api/ballot-rounds").status_code == 401


def test_the_role_is_read_from_the_database_on_every_request(live_server):
    scrutineer = signed_in_client(live_server.url, "scrutineer")
    assert scrutineer.get("/api/users").status_code == 403
    connection = sqlite3.connect(live_server.instance / "union.sqlite3")
    with connection:
        connection.execute("UPDATE app_user SET role = 'teller' WHERE username = 'scrutineer'")
    connection.close()
    assert scrutineer.get("/api/session").json()["user"]["role"] == "teller"
