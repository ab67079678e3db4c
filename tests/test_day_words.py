"""Words for people (issue 11): every message exists in both languages with the same
placeholders, every key a template or page script asks for exists, English pages carry
no untranslated Chinese, and the chosen language and congress are kept across pages."""

from __future__ import annotations

import re
from string import Formatter

import pytest
from conftest import ROOT, sign_in
from markupsafe import escape

from app.i18n import CATALOG, LANGUAGES

WEB = ROOT / "app" / "web"
HAN = re.compile(r"[\u3400-\u9fff\uff08\uff09\uff0c\u3001\u3002\uff1a]")
TEMPLATE_KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_]+)['"]\s*[,)]""")
JS_KEY = re.compile(r"""\b(?:tr|tx)\(\s*["']([a-z0-9_]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in Formatter().parse(text) if name}


def test_every_message_is_in_both_languages_with_the_same_placeholders(app):
    assert len(CATALOG) > 300  # every area's messages are registered at start-up
    for key, texts in CATALOG.items():
        for language in LANGUAGES:
            assert texts.get(language, "").strip(), f"{key} has no {language} text"
        assert placeholders(texts["zh-CN"]) == placeholders(texts["en"]), key
        assert not HAN.search(texts["en"].replace("“", "").replace("”", "")) or key in EN_MAY_QUOTE, key


# English texts that quote a roster file's Chinese headers on purpose (the file may have them).
EN_MAY_QUOTE = {"admin_import_help", "roster_no_name_column"}


def test_every_key_a_template_asks_for_exists(app):
    missing = []
    for template in sorted((WEB / "templates").glob("*.html")):
        for key in TEMPLATE_KEY.findall(template.read_text(encoding="utf-8")):
            if key not in CATALOG:
                missing.append(f"{template.name}: {key}")
    assert missing == []


@pytest.mark.parametrize("script, texts", [("admin.js", "admin"), ("scrutineer.js", "scrutineer")])
def test_every_key_a_page_script_asks_for_is_handed_to_it(app, script, texts):
    from app.web import admin, scrutineer

    handed = set(admin.JS_TEXTS) if texts == "admin" else {*scrutineer.SCRIPT_TEXTS, "sc_empty"}
    asked = set(JS_KEY.findall((WEB / "static" / script).read_text(encoding="utf-8")))
    assert asked, script
    assert asked - handed == set()


@pytest.fixture
def english_congress(app):
    """A congress whose own data is English, so that any Chinese left on a page is ours."""
    from app.congress.officials import appoint_person
    from app.congress.setup import NewPerson, add_people, check_in, create_congress, create_contest
    from app.db import get_db

    with app.app_context():
        db = get_db()
        congress_id = create_congress(db, name="Harbour Union Congress", kind="renewal",
                                      assembly="delegates", members=40, actor="test")
        rows = [("Alice Reed", "Dock", True, ""), ("Bob Stone", "Dock", True, ""),
                ("Carl Hunt", "Yard", True, ""), ("Dora Bell", "Yard", False, "retired")]
        people = add_people(db, congress_id, [
            NewPerson(name=name, unit=unit, gender="", entitled=entitled, note=note)
            for name, unit, entitled, note in rows], "test")
        check_in(db, people[0], "test")
        contest_id = create_contest(db, congress_id, title="Committee", office="committee", method="equal",
                                    seats=1, candidates=[("Bob Stone", "")], actor="test")
        appoint_person(db, contest_id, "teller", "test", person_id=people[2])
    return congress_id


PAGES = ["/admin", "/admin/roster", "/admin/attendance", "/admin/contests",
         "/admin/attendance/report?view=absent", "/admin/attendance/report?view=units",
         "/admin/attendance/report?view=register", "/admin/officials", "/admin/ballots", "/admin/users"]


def visible_han(html: str) -> list[str]:
    html = re.sub(r'<a id="lang-switch"[^>]*>[^<]*</a>', "", html)  # "中文" switches back, on purpose
    html = re.sub(r'<span class="display-name">[^<]*</span>', "", html)  # the account's own name: data
    for key in EN_MAY_QUOTE:
        html = html.replace(str(escape(CATALOG[key]["en"])), "").replace(CATALOG[key]["en"], "")
    return sorted(set(HAN.findall(html)))


def test_english_pages_carry_no_chinese(app, client, demo, english_congress):
    sign_in(client, "admin")
    for path in PAGES:
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}lang=en&congress={english_congress}")
        assert response.status_code == 200, path
        # The body switcher lists the demo congress by its (Chinese) name: its data, not our words.
        html = re.sub(r'<select name="congress".*?</select>', "", response.get_data(as_text=True), flags=re.S)
        assert visible_han(html) == [], path


def test_language_and_congress_are_kept_across_pages(app, client, demo, english_congress):
    sign_in(client, "admin")
    first = client.get(f"/admin?lang=en&congress={english_congress}")
    cookies = first.headers.getlist("Set-Cookie")
    assert any(c.startswith("lang=en;") for c in cookies) and any(c.startswith("congress=") for c in cookies)
    later = client.get("/admin/roster")  # a plain link: no query
    html = later.get_data(as_text=True)
    assert 'lang="en"' in html and "Harbour Union Congress" in html
    assert f'<option value="{english_congress}" selected>' in html
    back = client.get(f"/admin?congress={demo['congress_id']}")
    assert "青石镇总工会第五次会员代表大会" in back.get_data(as_text=True)
    # An API error speaks the kept language too.
    refused = client.post("/api/contests/999999/officials", json={"name": "Nobody", "role": "teller"})
    assert refused.status_code == 404
    assert refused.json["error"]["message"].startswith("There is no such contest")


def test_times_are_shown_in_beijing_time():
    from app.web.day import beijing

    assert beijing("2026-12-02T01:07:11.519330+00:00") == "2026-12-02 09:07"
    assert beijing("2026-12-02T17:30:00+00:00", "%m-%d %H:%M") == "12-03 01:30"
    assert beijing(None) == ""


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and b"<svg" in response.data


def test_enrollment_offers_lan_addresses_and_warns_on_localhost(app, client, demo):
    from app.security.addresses import base_choices, lan_addresses

    choices = base_choices("http://127.0.0.1:8000/", None)
    assert choices[-1] == "http://127.0.0.1:8000"
    assert choices[:-1] == [f"http://{address}:8000" for address in lan_addresses()]
    assert base_choices("http://10.1.2.3:8000/", "https://hall.example")[:2] == [
        "https://hall.example", "http://10.1.2.3:8000"]
    sign_in(client, "admin")
    page = client.get("/admin/users").get_data(as_text=True)  # the test client is "localhost"
    assert 'id="localhost-warning"' in page
    chosen = base_choices("http://localhost/", None)[0]  # what the page offers first
    answer = client.post(f"/api/users/{demo['user_ids']['teller1']}/enrollment?base={chosen}")
    assert answer.status_code == 201 and answer.json["url"].startswith(chosen + "/enroll/")
    foreign = client.post(f"/api/users/{demo['user_ids']['teller1']}/enrollment?base=http://evil.example")
    assert foreign.json["url"].startswith("http://localhost/enroll/")  # never an address not offered


RULE_CODE = re.compile(r"\bR\d{1,2}\b")
# The areas whose words this work owns; other areas' messages are being reworded in parallel.
WORDED_AREAS = ("admin_", "setting_", "step_", "att_", "off_", "day_", "setup_official",
                "counting_not_appointed")


def test_no_rule_code_reaches_a_person_in_the_secretariat_words(app):
    coded = [key for key, texts in CATALOG.items() if key.startswith(WORDED_AREAS)
             and any(RULE_CODE.search(text) for text in texts.values())]
    assert coded == []


def test_roster_errors_name_columns_as_people_call_them(app, client, demo, english_congress):
    import io

    sign_in(client, "admin")
    broken = "姓名,单位,性别\n,Dock,X\n".encode()
    # In English the columns are named as an English roster file heads them (name, gender…).
    for lang, title in (("zh-CN", "姓名"), ("en", CATALOG["roster_column_name"]["en"])):
        response = client.post(f"/api/congresses/{english_congress}/roster?lang={lang}",
                               data={"file": (io.BytesIO(broken), "roster.csv")},
                               content_type="multipart/form-data")
        assert response.status_code == 422, response.json
        rows = response.json["error"]["details"]["rows"]
        assert rows and rows[0]["column_title"] == title
        if lang == "zh-CN":
            assert [row["column_title"] for row in rows] == ["姓名", "性别"]
