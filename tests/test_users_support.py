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

from conftest import build_demo_template, copy_database  # noqa: F401  (re-exported)


def copy_demo(app, template: tuple[str, dict]) -> dict:
    """The template's demo congress in `app`'s own database; returns the demo's ids."""
    path, ids = template
    copy_database(path, app.config["DATABASE"])
    return ids
