"""Helpers for the accounts and security tests (no tests here): the demo congress built
once per module and copied into each test's fresh database.

Building the demo hashes six passwords with scrypt and commits each change durably; a
copy of a finished one (SQLite's backup API) takes milliseconds. A module opts in by
overriding the `demo` fixture of tests/conftest.py:

    @pytest.fixture(scope="module")
    def demo_template(tmp_path_factory):
        return build_demo_template(tmp_path_factory)

    @pytest.fixture
    def demo(app, demo_template):
        return copy_demo(app, demo_template)
"""

from __future__ import annotations

import sqlite3

import pytest


def build_demo_template(tmp_path_factory) -> tuple[str, dict]:
    """A database holding the demo congress, and the demo's ids."""
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


def copy_demo(app, template: tuple[str, dict]) -> dict:
    """The template's demo congress in `app`'s own database; returns the demo's ids."""
    path, ids = template
    source = sqlite3.connect(path)
    target = sqlite3.connect(app.config["DATABASE"])
    with target:
        source.backup(target)
    source.close()
    target.close()
    return ids
