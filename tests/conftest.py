"""Shared fixtures: a fresh app on a real SQLite file, signed-in clients, the demo
congress, a real server process, and headless Chromium (Debian's package)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

# No known password, even in tests: one random password per test session, given to every
# demo account through the variable only tests set (app/demo.py); servers started by the
# tests inherit it.
DEMO_PASSWORD = os.environ.setdefault("UNION_DEMO_PASSWORD", "t-" + secrets.token_urlsafe(12))

from loadtest import Server  # noqa: E402  (the same server harness as the load test)

SHARED = ROOT.parent / "shared"
# Most tests print a few ballots into the demo congress, where check-in has begun; the
# R10 minimum batch (app/security/secrecy.py) is tested on its own in test_secrecy.py.
os.environ["UNION_MIN_PRINT_BATCH"] = "1"


@pytest.fixture
def instance_dir(tmp_path: Path) -> Path:
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An empty database with every migration applied, built once per test process: each
    test's app starts from a copy (migrating a fresh file costs 0.5-1.8 s, a copy ms)."""
    from app.store import connect, migrate

    path = tmp_path_factory.mktemp("migrated") / "union.sqlite3"
    db = connect(path)
    migrate(db)
    db.close()
    return path


@pytest.fixture
def app(instance_dir: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path):
    monkeypatch.setenv("UNION_INSTANCE_DIR", str(instance_dir))
    monkeypatch.delenv("UNION_DATABASE", raising=False)
    # create_app finds the database migrated already (config.py: $UNION_INSTANCE_DIR/union.sqlite3).
    copy_database(migrated_template, instance_dir / "union.sqlite3")
    from app import create_app

    application = create_app({"TESTING": True, "LOGIN_RATE_LIMIT": "1000 per minute"})
    yield application


@pytest.fixture
def client(app):
    return app.test_client()


def build_demo_template(tmp_path_factory) -> tuple[str, dict]:
    """A database holding the demo congress, built through the same code as
    `flask --app app demo`, and the demo's ids."""
    instance = tmp_path_factory.mktemp("demo-template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UNION_INSTANCE_DIR", str(instance))
        patch.delenv("UNION_DATABASE", raising=False)
        from app import create_app
        from app.db import get_db
        from app.demo import create_demo

        application = create_app({"TESTING": True})
        with application.app_context():
            ids = create_demo(get_db())
        return application.config["DATABASE"], ids


def copy_database(source_path: str | Path, target_path: str | Path) -> None:
    """Copy a whole SQLite database into another (the backup API: consistent, WAL included)."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    with target:
        source.backup(target)
    source.close()
    target.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> tuple[str, dict]:
    """Built once per test session: the demo hashes six passwords with scrypt and commits
    every step durably, so each test gets a copy instead (milliseconds)."""
    return build_demo_template(tmp_path_factory)


def app_with_demo(instance: Path, template: tuple[str, dict]):
    """A fresh app in `instance` holding a copy of the demo congress, for module-scoped
    fixtures whose tests only read or are refused (they share one database)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UNION_INSTANCE_DIR", str(instance))
        patch.delenv("UNION_DATABASE", raising=False)
        from app import create_app

        application = create_app({"TESTING": True, "LOGIN_RATE_LIMIT": "1000 per minute"})
    copy_database(template[0], application.config["DATABASE"])
    return application


@pytest.fixture
def demo(app, demo_template) -> dict:
    """The demo congress in this test's own database; returns the demo's ids."""
    path, ids = demo_template
    copy_database(path, app.config["DATABASE"])
    return json.loads(json.dumps(ids))


def sign_in(client, username: str, password: str = DEMO_PASSWORD) -> str:
    """Sign `client` in and make it send the CSRF token on every later request."""
    token = client.get("/api/session").json["csrf_token"]
    response = client.post("/api/session", json={"username": username, "password": password},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.json
    token = response.json["csrf_token"]
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    return token


@pytest.fixture
def signed_in(app, demo):
    """A factory of test clients signed in as a demo user: signed_in('teller1')."""

    def make(username: str):
        new_client = app.test_client()
        sign_in(new_client, username)
        return new_client

    return make


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer(Server):
    """The production server (gunicorn, as the README's run command starts it) in its own
    process group, on its own SQLite file; `url` is its base address (scripts/loadtest.py)."""

    def __init__(self, instance: Path, workers: int = 2, threads: int = 8,
                 front: bool = False) -> None:
        super().__init__(instance, workers, threads, front)
        self.env["UNION_LOGIN_RATE_LIMIT"] = "10000 per minute"

    def run_flask(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, check=True)

    def load_demo(self, template: LiveDemo) -> None:
        """This instance as `flask demo` leaves it (before the server starts): the demo's
        database and the instance's keys copied from one made once (`live_demo`)."""
        for name in LiveDemo.KEY_FILES:
            shutil.copy2(template.instance / name, self.instance / name)
        copy_database(template.instance / "union.sqlite3", self.instance / "union.sqlite3")
        self.demo = json.loads(json.dumps(template.ids))


class LiveDemo:
    """An instance folder on which `flask demo` ran (the command a person runs), and the
    ids it printed: made once per test process, copied into each live server's instance
    (running the command costs seconds; a copy, milliseconds)."""

    KEY_FILES = ("secret_key", "ballot_key")

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.ids = json.loads(LiveServer(instance).run_flask("demo").stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def live_demo(tmp_path_factory) -> LiveDemo:
    return LiveDemo(tmp_path_factory.mktemp("live-demo"))


@pytest.fixture
def live_server(tmp_path: Path, live_demo: LiveDemo) -> Iterator[LiveServer]:
    """A real gunicorn server with the demo congress loaded."""
    instance = tmp_path / "live-instance"
    instance.mkdir()
    server = LiveServer(instance)
    server.load_demo(live_demo)
    server.start()
    yield server
    # Nothing is checked after the test: end it at once (a graceful stop waits seconds for
    # the workers to wind down). Tests that stop a server on purpose call stop() themselves.
    server.stop_front()
    if server.process is not None and server.process.poll() is None:
        server.kill9()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright per test process: a second sync_playwright() in the same process
    fails (it runs its own event loop), so tests that launch their own Chromium (with a
    fake camera, say) take this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Headless Chromium from Debian's package, driven by Playwright."""
    instance = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
    yield instance
    instance.close()


@pytest.fixture
def page(browser):
    # bypass_csp: the pages forbid eval (app/edge/hardening.py), which Playwright's
    # string predicates (wait_for_function) use; the pages themselves never need it.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    new_page = context.new_page()
    new_page.set_default_timeout(10_000)
    yield new_page
    context.close()
