"""Pages are guarded by the same permission service as the API, and a page someone's
role may not open answers with the one forbidden page, saying who it is for.

Table-driven over every page marked by `page_for` (app/edge/page_guard.py), read from
the route map at run time. Flask test client: no server, no browser.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.roles import COUNTERS, RESULT_READERS, SCRUTINEERS, SECRETARIAT, roles_in_words
from tests.conftest import app_with_demo, sign_in
from tests.test_route_roles import ACCOUNT_OF_ROLE, ALL_ROLES, dummy_value

APP = Path(__file__).resolve().parent.parent / "app"


@pytest.fixture(scope="module")
def hall(tmp_path_factory, demo_template):
    application = app_with_demo(tmp_path_factory.mktemp("pages-instance"), demo_template)
    clients = {}
    for role, username in ACCOUNT_OF_ROLE.items():
        clients[role] = application.test_client()
        sign_in(clients[role], username)
    return application, clients, application.test_client()


def guarded_pages(app) -> list[tuple[str, tuple[str, ...], str]]:
    """(endpoint, roles, url) for every page guarded by `page_for`."""
    found = []
    for rule in app.url_map.iter_rules():
        roles = getattr(app.view_functions[rule.endpoint], "page_roles", None)
        if roles is None or "GET" not in (rule.methods or ()):
            continue
        built = rule.build({name: dummy_value(rule, name) for name in rule.arguments}, append_unknown=False)
        assert built is not None
        found.append((rule.endpoint, roles, built[1]))
    return found


def test_every_secretariat_and_officials_page_is_guarded(hall):
    app, _, _ = hall
    endpoints = {endpoint for endpoint, _, _ in guarded_pages(app)}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin") and "GET" in (rule.methods or ()):
            assert rule.endpoint in endpoints, f"{rule.rule} has no page guard"
    assert {"teller.page", "scrutineer.page", "batch_web.page", "board.close_page",
            "ballots_web.ballots_page", "users_web.users_page"} <= endpoints


def test_anonymous_visitors_are_sent_to_sign_in(hall):
    app, _, anonymous = hall
    for endpoint, _, url in guarded_pages(app):
        response = anonymous.get(url)
        assert response.status_code == 302, (endpoint, response.status_code)
        assert "/login" in response.headers["Location"], endpoint
    # The closing page asks the sign-in page to come back to it.
    assert anonymous.get("/board/rounds/1/close").headers["Location"].endswith(
        "/login?next=/board/rounds/1/close")


def test_each_role_a_page_does_not_admit_gets_the_one_forbidden_page(hall):
    app, clients, _ = hall
    checked = 0
    for endpoint, roles, url in guarded_pages(app):
        for role in ALL_ROLES:
            response = clients[role].get(url)
            if role in roles:
                assert response.status_code != 403, (endpoint, role)
                continue
            checked += 1
            text = response.get_data(as_text=True)
            assert response.status_code == 403, (endpoint, role, response.status_code)
            assert f"此页面仅供{roles_in_words(roles, 'zh-CN')}使用。" in text, (endpoint, role)
            assert 'class="card forbidden"' in text
    assert checked >= 10


def test_the_forbidden_page_names_the_page_who_it_is_for_and_who_you_are(hall):
    _, clients, _ = hall
    text = clients["teller"].get("/admin/ballots").get_data(as_text=True)
    assert "<h1>选票印制与发放</h1>" in text
    assert "此页面仅供大会秘书处和监票人使用。" in text
    assert "您当前登录的角色是计票人" in text
    english = clients["admin"].get("/scrutineer?lang=en").get_data(as_text=True)
    assert "This page is for the scrutineers only." in english
    assert "You are signed in as secretariat" in english
    for internal in ("chief_scrutineer", "forbidden_role", "admin</"):
        assert internal not in english


def test_roles_in_the_words_people_use():
    assert roles_in_words(SECRETARIAT, "zh-CN") == "大会秘书处"
    assert roles_in_words(RESULT_READERS, "zh-CN") == "大会秘书处和监票人"
    assert roles_in_words(RESULT_READERS, "en") == "the secretariat and the scrutineers"
    assert roles_in_words(COUNTERS, "zh-CN") == "计票人和监票人"
    assert roles_in_words(SCRUTINEERS, "en") == "the scrutineers"
    assert roles_in_words(("chief_scrutineer",), "zh-CN") == "总监票人"
    assert roles_in_words(("admin", "chief_scrutineer", "teller"), "en") == \
        "the secretariat, the chief scrutineer and the tellers"


def role_comparisons(path: Path) -> list[str]:
    """Where a module compares someone's `.role` (==, !=, in, not in)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(side, ast.Attribute) and side.attr == "role" for side in sides):
                found.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    return found


def test_who_may_do_what_is_decided_only_in_the_permission_service():
    decided = [place for path in sorted(APP.rglob("*.py")) if path.name != "permissions.py"
               for place in role_comparisons(path)]
    assert decided == [], "role checks outside app/permissions.py: " + ", ".join(decided)
    assert role_comparisons(APP / "permissions.py"), "the scan found nothing to check"
