"""Fixtures for the ballot tests: the demo congress with two rounds open, built once and
copied (SQLite file and instance secrets) for each test, so every test has its own real
database without paying for the demo's scrypt hashes and durable commits again."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import sign_in


@dataclass
class Hall:
    app: Any
    demo: dict
    rounds: dict[str, int]  # contest name → the id of its open first round
    draft_round: int  # the chair contest's first round, still a draft
    key: str

    _db: Any = None

    def db(self):
        """A connection of the test's own (requests get theirs from the app)."""
        if self._db is None:
            from app.store import connect

            self._db = connect(self.app.config["DATABASE"])
        return self._db

    def client(self, username: str | None = None):
        client = self.app.test_client()
        if username:
            sign_in(client, username)
        return client


@pytest.fixture(scope="session")
def ballot_template(tmp_path_factory) -> tuple[Path, dict, dict[str, int], int]:
    instance = tmp_path_factory.mktemp("ballots-template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UNION_INSTANCE_DIR", str(instance))
        patch.delenv("UNION_DATABASE", raising=False)
        from app import create_app
        from app.congress.rounds import open_round
        from app.db import get_db
        from app.demo import create_demo

        application = create_app({"TESTING": True})
        with application.app_context():
            db = get_db()
            demo = create_demo(db)
            rounds = {}
            for name in ("committee", "audit_committee"):
                rounds[name] = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                                          [demo["contest_ids"][name]]).fetchone()[0]
                open_round(db, rounds[name], "test")
            draft = db.execute("SELECT id FROM round WHERE contest_id = ?",
                               [demo["contest_ids"]["chair"]]).fetchone()[0]
    return instance, demo, rounds, draft


@pytest.fixture
def ballot_hall(ballot_template, tmp_path, monkeypatch) -> Hall:
    template, demo, rounds, draft = ballot_template
    instance = tmp_path / "instance"
    shutil.copytree(template, instance)
    monkeypatch.setenv("UNION_INSTANCE_DIR", str(instance))
    monkeypatch.delenv("UNION_DATABASE", raising=False)
    from app import create_app

    application = create_app({"TESTING": True, "LOGIN_RATE_LIMIT": "1000 per minute"})
    # No app context is held here: each test-client request must get its own `g`.
    hall = Hall(application, demo, rounds, draft, application.config["BALLOT_KEY"])
    yield hall
    if hall._db is not None:
        hall._db.close()
