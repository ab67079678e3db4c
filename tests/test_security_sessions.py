"""Sessions end when idle or old, sign-in attempts are rate-limited, and passwords are
never written to a log or to the audit trail (failed sign-ins are audited without them)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import itsdangerous
import pytest

from app.security import clock
from tests.conftest import DEMO_PASSWORD, sign_in

# `demo` and `demo_template`: tests/conftest.py's (the demo built once per test process).


class MovableClock:
    """The security clock (app/security/clock.py), moved forward on demand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = clock.utcnow
        self.offset = timedelta()
        monkeypatch.setattr(clock, "utcnow", lambda: self.real() + self.offset)

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def moved(monkeypatch):
    return MovableClock(monkeypatch)


def who(client) -> str | None:
    user = client.get("/api/session").json["user"]
    return user and user["username"]


def test_a_session_idle_longer_than_the_limit_ends(signed_in, moved):
    tablet = signed_in("teller1")
    moved.advance(seconds=2 * 3600 + 1)
    refused = tablet.post("/api/users", json={})
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "session_ended"
    assert "登录已失效" in refused.json["error"]["message"]
    assert who(tablet) is None


def test_a_session_in_use_outlives_the_idle_limit(signed_in, moved):
    tablet = signed_in("teller1")
    for _ in range(3):
        moved.advance(hours=1, minutes=50)
        assert who(tablet) == "teller1"


def test_the_idle_limit_comes_from_config(app, signed_in, moved):
    app.config["SESSION_IDLE_SECONDS"] = 60
    tablet = signed_in("teller1")
    moved.advance(seconds=59)
    assert who(tablet) == "teller1"
    moved.advance(seconds=62)
    assert who(tablet) is None


def test_a_session_ends_after_its_lifetime_even_when_in_use(app, signed_in, moved):
    assert app.permanent_session_lifetime == timedelta(hours=12)
    tablet = signed_in("teller1")
    for _ in range(11):
        moved.advance(hours=1)
        assert who(tablet) == "teller1"
    moved.advance(hours=1, seconds=1)
    assert who(tablet) is None


def test_the_session_cookie_itself_expires_with_permanent_session_lifetime(app, signed_in,
                                                                          monkeypatch):
    """Flask signs the cookie with a timestamp and refuses one older than the lifetime,
    whatever the session holds (here only the signer's clock moves, not ours)."""
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=30)
    app.config["SESSION_IDLE_SECONDS"] = 24 * 3600
    tablet = signed_in("teller1")
    assert tablet.get_cookie("session").expires is not None
    real = itsdangerous.TimestampSigner.get_timestamp
    later = {"seconds": 29 * 60}
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp",
                        lambda self: real(self) + later["seconds"])
    assert who(tablet) == "teller1"
    later["seconds"] = 29 * 60 + 31 * 60  # 31 minutes after the cookie was last signed
    assert who(tablet) is None


def test_the_nplus1th_sign_in_attempt_in_a_minute_gets_429_in_chinese(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    token = client.get("/api/session").json["csrf_token"]
    statuses = [client.post("/api/session", json={"username": "admin", "password": f"guess-{n}"},
                            headers={"X-CSRFToken": token}).status_code for n in range(5)]
    assert statuses == [401] * 5
    response = client.post("/api/session", json={"username": "admin", "password": "guess-5"},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert response.json["error"]["message"] == "尝试次数过多，请稍后再试。"


def test_the_rate_limit_holds_for_right_passwords_too(app, demo, client):
    """Once limited, even the right password waits: guessing cannot continue by luck."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    token = client.get("/api/session").json["csrf_token"]
    for n in range(3):
        client.post("/api/session", json={"username": "admin", "password": f"x{n}"},
                    headers={"X-CSRFToken": token})
    response = client.post("/api/session", json={"username": "admin", "password": DEMO_PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 429
    assert who(client) is None


def test_failed_sign_in_is_audited_with_the_name_but_never_the_password(app, demo, client, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "Wrong-Secret-7731"
    token = client.get("/api/session").json["csrf_token"]
    response = client.post("/api/session", json={"username": "teller1", "password": secret},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert response.json["error"]["message"] == "用户名或密码错误。"
    from app.db import get_db

    with app.app_context():
        rows = [dict(row) for row in get_db().execute("SELECT * FROM audit_log")]
    failed = [row for row in rows if row["action"] == "session.login_failed"]
    assert len(failed) == 1 and json.loads(failed[0]["detail_json"]) == {"username": "teller1"}
    assert secret not in json.dumps(rows, ensure_ascii=False)
    assert secret not in caplog.text


def test_passwords_set_by_the_secretariat_are_never_logged(app, signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    admin = signed_in("admin")
    created = admin.post("/api/users", json={"username": "teller7", "display_name": "钱七",
                                             "role": "teller", "password": "First-Secret-1"}).json
    admin.post(f"/api/users/{created['id']}/password", json={"password": "Second-Secret-2"})
    sign_in(app.test_client(), "teller7", "Second-Secret-2")
    from app.db import get_db

    with app.app_context():
        rows = [dict(row) for row in get_db().execute("SELECT * FROM audit_log")]
    text = caplog.text + json.dumps(rows, ensure_ascii=False)
    assert "First-Secret-1" not in text and "Second-Secret-2" not in text
    assert {"user.create", "user.password_reset", "session.login"} <= {row["action"] for row in rows}
