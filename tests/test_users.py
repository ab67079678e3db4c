"""The secretariat manages accounts: list, create, reset a password, deactivate; every
change is audited, bad input gets a clear message and writes nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DEMO_PASSWORD, app_with_demo, sign_in

# `demo` and `demo_template`: tests/conftest.py's (the demo built once per test process).


def audit_rows(app, action: str) -> list[dict]:
    from app.db import get_db

    with app.app_context():
        rows = get_db().execute("SELECT actor, action, subject, detail_json FROM audit_log"
                                " WHERE action = ? ORDER BY id", [action]).fetchall()
    return [{**dict(row), "detail": json.loads(row["detail_json"])} for row in rows]


def count_users(app) -> int:
    from app.db import get_db

    with app.app_context():
        return get_db().execute("SELECT count(*) FROM app_user").fetchone()[0]


def accounts(admin) -> dict[str, dict]:
    return {account["username"]: account for account in admin.get("/api/users").json["users"]}


@pytest.fixture
def admin(signed_in):
    return signed_in("admin")


@pytest.fixture(scope="module")
def desk(tmp_path_factory, demo_template):
    """One app with the demo congress and signed-in clients, for the tests that change
    nothing (reads and refusals): scrypt makes every sign-in cost a tenth of a second."""
    application = app_with_demo(tmp_path_factory.mktemp("users-instance"), demo_template)
    clients = {}
    for username in ("admin", "chief", "scrutineer", "teller1"):
        clients[username] = application.test_client()
        sign_in(clients[username], username)
    clients["anonymous"] = application.test_client()
    return application, clients


def new_teller(admin, username="teller9", password="hall-2026-x"):
    response = admin.post("/api/users", json={"username": username, "display_name": "赵计票",
                                              "role": "teller", "password": password})
    assert response.status_code == 201, response.json
    return response.json


def test_admin_lists_every_account_without_password_hashes(desk):
    admin = desk[1]["admin"]
    response = admin.get("/api/users")
    assert response.status_code == 200
    listed = {account["username"]: account["role"] for account in response.json["users"]}
    assert listed == {"admin": "admin", "chief": "chief_scrutineer", "scrutineer": "scrutineer",
                      "teller1": "teller", "teller2": "teller", "teller3": "teller"}
    assert "scrypt" not in response.get_data(as_text=True)
    assert "password" not in response.get_data(as_text=True)


def test_created_account_signs_in_with_a_scrypt_hashed_password(app, admin):
    created = new_teller(admin)
    assert created["role"] == "teller" and created["active"] is True
    from app.db import get_db

    with app.app_context():
        stored = get_db().execute("SELECT password_hash FROM app_user WHERE id = ?",
                                  [created["id"]]).fetchone()[0]
    assert stored.startswith("scrypt:") and "hall-2026-x" not in stored
    tablet = app.test_client()
    sign_in(tablet, "teller9", "hall-2026-x")
    assert tablet.get("/api/session").json["user"]["username"] == "teller9"


def test_account_creation_is_audited_without_the_password(app, admin):
    created = new_teller(admin, password="never-in-the-log")
    [entry] = [row for row in audit_rows(app, "user.create") if row["subject"] == f"user:{created['id']}"]
    assert entry["actor"] == "admin:admin"
    assert entry["detail"] == {"username": "teller9", "role": "teller"}
    assert "never-in-the-log" not in json.dumps(audit_rows(app, "user.create"), ensure_ascii=False)


@pytest.mark.parametrize(("body", "status", "code", "words"), [
    ({"username": "teller9", "display_name": "赵", "role": "teller", "password": "short"},
     400, "password_too_short", "密码至少需要 10 个字符"),
    ({"username": "张三", "display_name": "张三", "role": "teller", "password": "long-enough"},
     400, "bad_username", "用户名只能包含"),
    ({"username": "../etc", "display_name": "x", "role": "teller", "password": "long-enough"},
     400, "bad_username", "用户名只能包含"),
    ({"username": "teller9", "display_name": "赵\u202e", "role": "teller", "password": "long-enough"},
     400, "bad_display_name", "姓名不能为空"),
    ({"username": "teller9", "display_name": "   ", "role": "teller", "password": "long-enough"},
     400, "bad_display_name", "姓名不能为空"),
    ({"username": "teller9", "display_name": "赵", "role": "president", "password": "long-enough"},
     422, "invalid_input", "职责或角色"),
    ({"username": "teller9", "display_name": "赵", "role": "teller"}, 422, "invalid_input", "密码"),
    ({"username": "Teller1", "display_name": "赵", "role": "teller", "password": "long-enough"},
     409, "user_exists", "用户名“Teller1”已被使用"),
])
def test_bad_new_account_is_refused_clearly_and_writes_nothing(desk, body, status, code, words):
    app, admin = desk[0], desk[1]["admin"]
    before = count_users(app), len(audit_rows(app, "user.create"))
    response = admin.post("/api/users", json=body)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert words in response.json["error"]["message"]
    assert (count_users(app), len(audit_rows(app, "user.create"))) == before


def test_refusals_speak_english_on_request(desk):
    admin = desk[1]["admin"]
    response = admin.post("/api/users?lang=en", json={"username": "x1", "display_name": "x",
                                                      "role": "teller", "password": "short"})
    assert response.json["error"]["message"] == "The password needs at least 10 characters."


def test_reset_password_replaces_the_old_one_and_ends_the_users_sessions(app, admin):
    tablet = app.test_client()
    sign_in(tablet, "teller2")
    teller = accounts(admin)["teller2"]
    response = admin.post(f"/api/users/{teller['id']}/password", json={"password": "new-pass-2026"})
    assert response.status_code == 200
    assert tablet.get("/api/session").json["user"] is None
    refused = tablet.post("/api/users", json={})
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "session_ended"
    assert "登录已失效" in refused.json["error"]["message"]
    old = app.test_client()
    token = old.get("/api/session").json["csrf_token"]
    assert old.post("/api/session", json={"username": "teller2", "password": DEMO_PASSWORD},
                    headers={"X-CSRFToken": token}).status_code == 401
    sign_in(app.test_client(), "teller2", "new-pass-2026")
    [entry] = audit_rows(app, "user.password_reset")
    assert entry["subject"] == f"user:{teller['id']}" and entry["detail"] == {"username": "teller2"}
    assert "new-pass-2026" not in json.dumps(entry, ensure_ascii=False)


def test_reset_password_of_unknown_user_is_404_in_chinese(desk):
    admin = desk[1]["admin"]
    response = admin.post("/api/users/999/password", json={"password": "long-enough"})
    assert response.status_code == 404
    assert response.json["error"]["message"] == "找不到该用户（可能已被删除），请刷新页面。"


def test_reset_password_too_short_changes_nothing(desk):
    app, admin = desk[0], desk[1]["admin"]
    teller = accounts(admin)["teller3"]
    response = admin.post(f"/api/users/{teller['id']}/password", json={"password": "1234567"})
    assert response.status_code == 400
    assert audit_rows(app, "user.password_reset") == []
    sign_in(app.test_client(), "teller3")


def test_deactivated_users_session_stops_on_its_next_request(app, admin):
    tablet = app.test_client()
    sign_in(tablet, "teller1")
    assert tablet.get("/api/session").json["user"]["username"] == "teller1"
    teller = accounts(admin)["teller1"]
    response = admin.post(f"/api/users/{teller['id']}/deactivate")
    assert response.status_code == 200 and response.json["active"] is False
    assert tablet.get("/api/session").json["user"] is None
    refused = tablet.post("/api/users", json={})
    assert refused.status_code == 401
    assert refused.json["error"]["code"] in ("session_ended", "login_required")
    [entry] = audit_rows(app, "user.deactivate")
    assert entry == {**entry, "actor": "admin:admin", "subject": f"user:{teller['id']}"}


def test_deactivated_user_cannot_sign_in_until_reactivated(app, admin):
    teller = accounts(admin)["teller1"]
    admin.post(f"/api/users/{teller['id']}/deactivate")
    client = app.test_client()
    token = client.get("/api/session").json["csrf_token"]
    refused = client.post("/api/session", json={"username": "teller1", "password": DEMO_PASSWORD},
                          headers={"X-CSRFToken": token})
    assert refused.status_code == 401
    assert admin.post(f"/api/users/{teller['id']}/activate").json["active"] is True
    sign_in(app.test_client(), "teller1")
    assert [row["action"] for row in audit_rows(app, "user.activate")] == ["user.activate"]


def test_deactivating_twice_is_harmless_and_audited_once(app, admin):
    teller = accounts(admin)["teller2"]
    assert admin.post(f"/api/users/{teller['id']}/deactivate").status_code == 200
    assert admin.post(f"/api/users/{teller['id']}/deactivate").status_code == 200
    assert len(audit_rows(app, "user.deactivate")) == 1


def test_admin_cannot_deactivate_own_account(app, admin):
    me = accounts(admin)["admin"]
    response = admin.post(f"/api/users/{me['id']}/deactivate")
    assert response.status_code == 409
    assert response.json["error"]["message"] == "不能停用您自己正在使用的账号。"
    assert accounts(admin)["admin"]["active"] is True


def test_the_last_active_admin_cannot_be_deactivated(app, admin):
    second = admin.post("/api/users", json={"username": "secretary2", "display_name": "秘书二",
                                            "role": "admin", "password": "long-enough"}).json
    other = app.test_client()
    sign_in(other, "secretary2", "long-enough")
    first = accounts(admin)["admin"]
    assert other.post(f"/api/users/{first['id']}/deactivate").status_code == 200
    # admin's own session has just ended; secretary2 is the only admin left
    response = other.post(f"/api/users/{second['id']}/deactivate")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "cannot_deactivate_self"
    from app.db import get_db
    from app.errors import AppError
    from app.security.users import set_active

    with app.app_context(), pytest.raises(AppError) as refused:
        set_active(get_db(), second["id"], False, "test", acting_user_id=None)
    assert refused.value.code == "last_admin"


def test_accounts_api_is_admin_only(desk):
    clients = desk[1]
    assert clients["anonymous"].get("/api/users").status_code == 401
    for username in ("chief", "scrutineer", "teller1"):
        assert clients[username].get("/api/users").status_code == 403


def test_accounts_page_is_in_chinese_for_the_admin(desk):
    response = desk[1]["admin"].get("/admin/users")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "账号管理" in page and "新建账号" in page and "计票人" in page
    assert 'href="/admin/users" aria-current="page"' in page  # among the secretariat's pages


def test_accounts_page_sends_anonymous_users_to_sign_in_and_refuses_tellers(desk):
    response = desk[1]["anonymous"].get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    refused = desk[1]["teller1"].get("/admin/users")
    assert refused.status_code == 403
    assert "仅供大会秘书处使用" in refused.get_data(as_text=True)


def test_accounts_page_in_english(desk):
    admin = desk[1]["admin"]
    assert "Accounts" in admin.get("/admin/users?lang=en").get_data(as_text=True)
    assert "Accounts" in admin.get("/admin/users").get_data(as_text=True)  # the choice is kept
    admin.delete_cookie("lang")  # the module's shared clients speak Chinese to the other tests


def test_openapi_describes_the_accounts_api_and_never_returns_a_password(desk):
    document = desk[1]["anonymous"].get("/api/openapi.json").json
    assert {"/api/users", "/api/users/{user_id}/password", "/api/users/{user_id}/deactivate",
            "/api/users/{user_id}/activate", "/api/users/{user_id}/enrollment"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    account = next(schema for name, schema in schemas.items() if name.startswith("Account")
                   and "username" in schema.get("properties", {}))
    assert "password" not in account["properties"]
    assert "password_hash" not in json.dumps(document)
