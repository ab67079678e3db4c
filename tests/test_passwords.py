"""No known credential: each demo install makes its own random passwords (shown once,
kept owner-readable), a real install's first start asks for the admin's, and weak
passwords are refused."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.errors import AppError
from app.security.passwords import check_password, random_password
from tests.conftest import ROOT, LiveServer


def _demo_without_test_password(instance: Path) -> tuple[dict, str, dict[str, str]]:
    env = {key: value for key, value in os.environ.items() if key != "UNION_DEMO_PASSWORD"}
    env["UNION_INSTANCE_DIR"] = str(instance)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "demo"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True)
    saved = instance / "demo-passwords.txt"
    passwords = dict(line.split("\t") for line in saved.read_text().splitlines())
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stdout, passwords


def test_each_demo_install_has_its_own_passwords_shown_once_and_kept_private(tmp_path):
    first_ids, first_out, first = _demo_without_test_password(tmp_path / "one")
    _ids, _out, second = _demo_without_test_password(tmp_path / "two")
    assert set(first) == {"admin", "chief", "scrutineer", "teller1", "teller2", "teller3"}
    assert not set(first.values()) & set(second.values())  # per install, per account
    assert len(set(first.values())) == 6
    for password in first.values():
        assert password in first_out  # shown once on the console ...
        assert password not in json.dumps(first_ids)  # ... but not in the ids line run.sh keeps
        check_password(password)  # and strong enough for the service's own rule
    mode = stat.S_IMODE((tmp_path / "one" / "demo-passwords.txt").stat().st_mode)
    assert mode == 0o600
    assert "demo-2026" not in (ROOT / "README.md").read_text()

    # The real server takes the file's password, and not the old fixed one.
    server = LiveServer(tmp_path / "one")
    server.start()
    try:
        client = httpx.Client(base_url=server.url, timeout=30)
        token = client.get("/api/session").json()["csrf_token"]
        old = client.post("/api/session", json={"username": "admin", "password": "demo-2026"},
                          headers={"X-CSRFToken": token})
        assert old.status_code == 401
        good = client.post("/api/session", json={"username": "admin", "password": first["admin"]},
                           headers={"X-CSRFToken": token})
        assert good.status_code == 200 and good.json()["user"]["role"] == "admin"
    finally:
        server.stop()


@pytest.mark.parametrize("password, code", [
    ("12345678", "password_too_short"),
    ("1234567890", "password_too_common"),
    ("password123", "password_too_common"),
    ("qwertyuiop", "password_too_common"),
    ("aaaaaaaaaaaa", "password_too_common"),
    ("x" * 201, "password_too_long"),
])
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(AppError) as refused:
        check_password(password)
    assert refused.value.code == code


def test_random_and_chosen_strong_passwords_pass():
    for _ in range(20):
        check_password(random_password())
    check_password("Xq7-rotating-kettle-91")


def test_a_new_account_with_a_common_password_is_refused_with_a_message(signed_in):
    admin = signed_in("admin")
    response = admin.post("/api/users", json={"username": "teller9", "display_name": "赵九",
                                              "role": "teller", "password": "12345678"})
    assert response.status_code == 400 and "10" in response.json["error"]["message"]
    response = admin.post("/api/users", json={"username": "teller9", "display_name": "赵九",
                                              "role": "teller", "password": "password1234"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "password_too_common"
    assert "常见" in response.json["error"]["message"]


def test_a_real_install_asks_for_the_admin_password_at_first_start(tmp_path):
    env = {**os.environ, "UNION_INSTANCE_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "flask", "--app", "app", "create-admin", "--if-missing"]
    weak = subprocess.run(command, cwd=ROOT, env=env, input="12345678\n12345678\n",
                          capture_output=True, text=True)
    assert weak.returncode == 2 and "10" in weak.stderr
    chosen = "Kettle-rotating-51-Xq"
    made = subprocess.run(command, cwd=ROOT, env=env, input=f"{chosen}\n{chosen}\n",
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    again = subprocess.run(command, cwd=ROOT, env=env, input="", capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout == ""  # an admin exists: nothing asked
    from werkzeug.security import check_password_hash

    from app.store import connect

    db = connect(tmp_path / "union.sqlite3")
    row = db.execute("SELECT password_hash, role FROM app_user WHERE username = 'admin'").fetchone()
    assert row["role"] == "admin" and check_password_hash(row["password_hash"], chosen)
    db.close()
