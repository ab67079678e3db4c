"""Every write route refuses anonymous users and every role it does not admit.

Table-driven over the whole route map, read at run time: a route another area adds is
checked the moment it exists. Only the routes in OPEN_WRITES may be written to without
signing in (signing in and out, and redeeming a tablet enrollment QR, whose token is the
credential). Requests go through the Flask test client: fast, no server, no browser.
"""

from __future__ import annotations

import uuid

import pytest
from werkzeug.routing import (
    AnyConverter,
    FloatConverter,
    IntegerConverter,
    Rule,
    UUIDConverter,
)

from tests.conftest import app_with_demo, sign_in

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ALL_ROLES = ("admin", "chief_scrutineer", "scrutineer", "teller")
# A demo account for each role (tests/conftest.py `demo`).
ACCOUNT_OF_ROLE = {"admin": "admin", "chief_scrutineer": "chief", "scrutineer": "scrutineer",
                   "teller": "teller1"}
# (endpoint, method) pairs that anonymous users may call, and why.
OPEN_WRITES = {
    ("session.login", "POST"): "signing in",
    ("session.logout", "DELETE"): "signing out",
    ("users_web.enroll_redeem", "POST"): "a tablet redeems its one-time enrollment token",
}


def dummy_value(rule: Rule, argument: str):
    """A value for one URL argument: 1 for ids (int converters and their subclasses), a
    plain word for strings."""
    converter = rule._converters[argument]  # noqa: SLF001 werkzeug keeps converters per rule
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return next(iter(converter.items))
    return "x"


def write_routes(app) -> list[tuple[Rule, str, str]]:
    """(rule, method, url) for every write route of the app, URL built with dummy ids."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(set(rule.methods or ()) & set(WRITE_METHODS)):
            values = {argument: dummy_value(rule, argument) for argument in rule.arguments}
            built = rule.build(values, append_unknown=False)
            assert built is not None, f"cannot build a URL for {rule.rule}"
            found.append((rule, method, built[1]))
    return found


def guarded_routes(app) -> list[tuple[Rule, str, str]]:
    return [(rule, method, url) for rule, method, url in write_routes(app)
            if (rule.endpoint, method) not in OPEN_WRITES]


def roles_of(app, rule: Rule, method: str):
    from app.edge.sessions import required_roles

    return required_roles(app.view_functions.get(rule.endpoint), method)


@pytest.fixture(scope="module")
def hall(tmp_path_factory, demo_template):
    """One app with the demo congress and a signed-in client per role, shared by the
    table-driven tests below (they only send refused requests, so nothing changes)."""
    application = app_with_demo(tmp_path_factory.mktemp("roles-instance"), demo_template)
    clients = {}
    for role, username in ACCOUNT_OF_ROLE.items():
        clients[role] = application.test_client()
        sign_in(clients[role], username)
    anonymous = application.test_client()
    anonymous.environ_base["HTTP_X_CSRFTOKEN"] = anonymous.get("/api/session").json["csrf_token"]
    return application, clients, anonymous


def is_refusal_of_anonymous(response) -> bool:
    if response.status_code == 401:
        return True
    return response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")


def send(client, method: str, url: str):
    return client.open(url, method=method, json={})


def test_the_route_map_has_write_routes_including_the_accounts_api(hall):
    app, _, _ = hall
    endpoints = {(rule.endpoint, method) for rule, method, _ in write_routes(app)}
    assert ("users.create_account", "POST") in endpoints
    assert ("users.deactivate", "POST") in endpoints
    assert set(OPEN_WRITES) <= endpoints, "an allow-listed route disappeared; update OPEN_WRITES"


def test_every_write_route_declares_its_required_roles(hall):
    app, _, _ = hall
    unmarked = [f"{method} {rule.rule} ({rule.endpoint})" for rule, method, _ in guarded_routes(app)
                if roles_of(app, rule, method) is None]
    assert unmarked == [], "write routes without @require_role: " + ", ".join(unmarked)


def test_every_write_route_refuses_anonymous_users(hall):
    app, _, anonymous = hall
    admitted = []
    for _rule, method, url in guarded_routes(app):
        response = send(anonymous, method, url)
        if not is_refusal_of_anonymous(response):
            admitted.append(f"{method} {url} → {response.status_code}")
    assert admitted == [], "anonymous writes not refused: " + "; ".join(admitted)


def test_every_write_route_refuses_each_role_it_does_not_admit(hall):
    app, clients, _ = hall
    wrong = []
    checked = 0
    for rule, method, url in guarded_routes(app):
        roles = roles_of(app, rule, method) or ALL_ROLES  # no roles named: any signed-in user
        for role in ALL_ROLES:
            if role in roles:
                continue
            response = send(clients[role], method, url)
            checked += 1
            if response.status_code != 403:
                wrong.append(f"{role}: {method} {url} → {response.status_code}")
            elif response.json["error"]["code"] != "forbidden_role":
                wrong.append(f"{role}: {method} {url} → {response.json['error']['code']}")
    assert wrong == [], "wrong roles not refused with 403: " + "; ".join(wrong)
    assert checked >= 3 * 6  # the six accounts routes alone are admin-only


def test_a_wrong_role_is_refused_in_chinese_naming_the_role(hall):
    _, clients, _ = hall
    response = clients["teller"].post("/api/users", json={"username": "x", "display_name": "x",
                                                          "role": "admin", "password": "12345678"})
    assert response.status_code == 403
    assert response.json["error"]["message"] == "您的角色（计票人）无权执行此操作。"


def test_a_write_without_the_csrf_header_is_refused(hall):
    app, clients, _ = hall
    admin = clients["admin"]
    teller = next(account for account in admin.get("/api/users").json["users"]
                  if account["username"] == "teller1")
    url = f"/api/users/{teller['id']}/deactivate"
    token = admin.environ_base.pop("HTTP_X_CSRFTOKEN")
    try:
        response = admin.post(url)
        assert response.status_code == 400
        assert response.json["error"]["code"] == "csrf_failed"
        assert "刷新页面" in response.json["error"]["message"]
        forged = admin.post(url, headers={"X-CSRFToken": "not-" + token})
        assert forged.status_code == 400
        assert forged.json["error"]["code"] == "csrf_failed"
    finally:
        admin.environ_base["HTTP_X_CSRFTOKEN"] = token
    accounts = {account["username"]: account for account in admin.get("/api/users").json["users"]}
    assert accounts["teller1"]["active"] is True


def test_every_write_route_without_the_csrf_header_is_refused(hall):
    """CSRF protection covers every write, the open ones too (a forged page cannot sign
    a browser in or out, or redeem an enrollment for it)."""
    app, clients, _ = hall
    bare = app.test_client()
    sign_in(bare, "admin")
    bare.environ_base.pop("HTTP_X_CSRFTOKEN")
    accepted = []
    for _rule, method, url in write_routes(app):
        response = send(bare, method, url)
        if response.status_code != 400 or (response.json or {}).get("error", {}).get("code") \
                != "csrf_failed":
            accepted.append(f"{method} {url} → {response.status_code}")
    assert accepted == [], "writes accepted without the CSRF token: " + "; ".join(accepted)
