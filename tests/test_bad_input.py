"""Bad input of every kind gets a clear 4xx in the user's language and writes nothing."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from conftest import sign_in
from PIL import Image

TABLES = ("person", "attendance", "contest", "candidate", "ballot", "ballot_submission",
          "ballot_serial", "app_user", "contest_official")


def counts(app) -> dict[str, int]:
    from app.db import get_db

    with app.app_context():
        db = get_db()
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


@pytest.fixture
def setup(app, demo):
    """An open committee round with printed ballots; clients for the admin and a teller."""
    from app.ballots.issue import issue_serials
    from app.db import get_db

    admin = app.test_client()
    sign_in(admin, "admin")
    with app.app_context():
        db = get_db()
        round_id = db.execute("SELECT id FROM round WHERE contest_id = ?",
                              [demo["contest_ids"]["committee"]]).fetchone()[0]
    assert admin.post(f"/api/rounds/{round_id}/open").status_code == 200
    with app.app_context():
        serials = issue_serials(get_db(), round_id, 5, "test").serials
    teller = app.test_client()
    sign_in(teller, "teller1")
    return {"admin": admin, "teller": teller, "round_id": round_id, "serials": serials,
            "congress_id": demo["congress_id"]}


def assert_refused(response, status: int | tuple[int, ...], *words: str):
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    body = response.get_json()
    assert body and body["error"]["code"] and body["error"]["message"]
    assert "Traceback" not in body["error"]["message"]
    for word in words:
        assert word in body["error"]["message"], body["error"]["message"]
    return body


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny file that claims a huge picture: a valid PNG header and a few compressed rows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width // 8) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_oversized_photo_is_413_in_chinese_and_nothing_written(app, setup):
    before = counts(app)
    big = b"\xff\xd8\xff" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = setup["teller"].post(f"/api/rounds/{setup['round_id']}/scan",
                                    data={"photo": (io.BytesIO(big), "big.jpg")})
    assert_refused(response, 413, "太大")
    assert counts(app) == before


def test_non_image_upload_is_refused(app, setup):
    response = setup["teller"].post(f"/api/rounds/{setup['round_id']}/scan",
                                    data={"photo": (io.BytesIO(b"%PDF-1.4 not a photo"), "x.jpg")})
    assert assert_refused(response, (400, 415, 422))["error"]["code"].endswith("not_an_image")


def test_decompression_bomb_is_refused_before_decoding(app, setup):
    response = setup["teller"].post(f"/api/rounds/{setup['round_id']}/scan",
                                    data={"photo": (io.BytesIO(png_bomb()), "bomb.png")})
    assert assert_refused(response, (413, 422))["error"]["code"].endswith("image_too_large")


def test_malformed_json_is_refused_and_nothing_written(app, setup):
    before = counts(app)
    response = setup["teller"].post(f"/api/rounds/{setup['round_id']}/ballots",
                                    data='{"client_id": "abcdefgh", "serial": ',
                                    content_type="application/json")
    assert_refused(response, (400, 422))
    assert counts(app) == before


def test_wrong_content_type_is_refused(app, setup):
    body = json.dumps({"client_id": "abcdefgh1", "serial": setup["serials"][0], "marks": {}})
    response = setup["teller"].post(f"/api/rounds/{setup['round_id']}/ballots", data=body,
                                    content_type="text/plain")
    assert_refused(response, (400, 415, 422))
    assert counts(app)["ballot"] == 0


@pytest.mark.parametrize("name, why", [
    ("王" * 41, "长度"),
    ("王\u202e芳", "控制字符"),
    ("王\x00芳", "控制字符"),
    ("Robert'); DROP TABLE person;--", "姓名"),
    ("1 OR 1=1", "姓名"),
])
def test_bad_candidate_names_are_refused(app, setup, name, why):
    before = counts(app)
    response = setup["admin"].post(f"/api/congresses/{setup['congress_id']}/contests", json={
        "title": "女职工委员会委员", "office": "women_committee", "method": "equal", "seats": 1,
        "candidates": [{"name": name}]})
    assert_refused(response, 422, why)
    assert counts(app) == before


@pytest.mark.parametrize("name, code", [
    ("赵\u200f六", "control"),
    ("'; DELETE FROM ballot; --", "name"),
    ("六" * 200, "long"),
])
def test_bad_write_in_names_are_refused_and_nothing_written(app, setup, name, code):
    before = counts(app)
    response = setup["teller"].post(f"/api/rounds/{setup['round_id']}/ballots", json={
        "client_id": f"bad-write-in-{code}", "serial": setup["serials"][1], "marks": {},
        "write_ins": [{"name": name, "mark": "yes"}]})
    assert_refused(response, 422)
    assert counts(app) == before


def roster_csv(*rows: str) -> bytes:
    return ("姓名,单位,性别,有选举权\n" + "\n".join(rows) + "\n").encode("utf-8")


@pytest.mark.parametrize("row", [
    "王\u202e芳,一车间,女,是",          # a right-to-left override hides what the name is
    "Robert'); DROP TABLE person;--,一车间,男,是",
    "张" + "三" * 60 + ",一车间,男,是",
])
def test_bad_roster_rows_import_nobody(app, setup, row):
    before = counts(app)
    response = setup["admin"].post(
        f"/api/congresses/{setup['congress_id']}/roster",
        data={"file": (io.BytesIO(roster_csv("李娜,一车间,女,是", row)), "roster.csv")})
    body = assert_refused(response, 422)
    assert "第 3 行" in body["error"]["message"]
    assert counts(app) == before


@pytest.mark.parametrize("filename", ["../../etc/passwd.csv", "..\\..\\roster.csv", "/tmp/roster.csv"])
def test_path_traversal_in_a_file_name_is_refused(app, setup, filename):
    before = counts(app)
    response = setup["admin"].post(
        f"/api/congresses/{setup['congress_id']}/roster",
        data={"file": (io.BytesIO(roster_csv("李娜,一车间,女,是")), filename)})
    assert_refused(response, (400, 422), "文件名")
    assert counts(app) == before


def test_a_photo_is_never_written_under_its_uploaded_name(app, setup, tmp_path):
    image = Image.new("RGB", (640, 480), "white")
    data = io.BytesIO()
    image.save(data, "JPEG")
    response = setup["teller"].post(f"/api/rounds/{setup['round_id']}/scan",
                                    data={"photo": (io.BytesIO(data.getvalue()), "../../../evil.jpg")})
    assert_refused(response, (400, 409, 422), )
    assert not (tmp_path.parent / "evil.jpg").exists()


def test_a_teller_who_is_a_candidate_of_the_contest_may_not_count_it(app, setup):
    """R12: the teller's name is on this contest's slate → refused, nothing recorded."""
    from app.db import get_db

    with app.app_context():
        db = get_db()
        candidate = db.execute("SELECT c.name FROM candidate c JOIN round r ON r.contest_id = c.contest_id"
                               " WHERE r.id = ? LIMIT 1", [setup["round_id"]]).fetchone()[0]
        db.execute("UPDATE app_user SET display_name = ? WHERE username = 'teller2'", [candidate])
        db.conn.commit()
    teller = app.test_client()
    sign_in(teller, "teller2")
    before = counts(app)
    response = teller.post(f"/api/rounds/{setup['round_id']}/ballots", json={
        "client_id": "r12-check-1", "serial": setup["serials"][2], "marks": {}})
    assert_refused(response, 403, "不能担任计票人或监票人", candidate)
    assert counts(app) == before
