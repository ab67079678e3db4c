"""Fixtures for the congress-setup tests (imported by tests/test_setup_*.py).

Building the demo congress costs about a second (six scrypt password hashes), so it is
built once per test session into a template SQLite file; each test gets its own fresh
copy of that file (a real database, never shared between tests)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.store import connect


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> tuple[Path, dict]:
    from app import create_app
    from app.db import get_db
    from app.demo import create_demo

    instance = tmp_path_factory.mktemp("setup-demo-template")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("UNION_INSTANCE_DIR", str(instance))
    monkeypatch.delenv("UNION_DATABASE", raising=False)
    try:
        application = create_app({"TESTING": True})
        with application.app_context():
            ids = create_demo(get_db())
    finally:
        monkeypatch.undo()
    database = Path(application.config["DATABASE"])
    db = connect(database)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file
    db.close()
    return database, json.loads(json.dumps(ids))


@pytest.fixture
def app(instance_dir: Path, monkeypatch: pytest.MonkeyPatch, demo_template):
    """The shared `app` fixture, but starting from a copy of the demo database."""
    database, _ids = demo_template
    shutil.copyfile(database, instance_dir / database.name)
    monkeypatch.setenv("UNION_INSTANCE_DIR", str(instance_dir))
    monkeypatch.delenv("UNION_DATABASE", raising=False)
    from app import create_app

    return create_app({"TESTING": True, "LOGIN_RATE_LIMIT": "1000 per minute"})


@pytest.fixture
def demo(app, demo_template) -> dict:
    """The demo congress's ids (already in this test's copy of the database)."""
    return json.loads(json.dumps(demo_template[1]))


@pytest.fixture
def db(app):
    """A second connection to the test's database file, to check what was written."""
    handle = connect(app.config["DATABASE"])
    yield handle
    handle.close()


@pytest.fixture
def admin(signed_in):
    return signed_in("admin")


@pytest.fixture
def teller(signed_in):
    return signed_in("teller1")


def count(db, sql: str, *params) -> int:
    return db.execute(sql, params).fetchone()[0]
