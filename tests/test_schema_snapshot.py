"""An applied migration is never edited: the schema each one leaves behind is recorded in
tests/support/schema_snapshot.json, and a new migration goes at the end."""

from __future__ import annotations

from tests.support.schema_snapshot import recorded, schema_after_each_migration


def test_every_recorded_migration_still_makes_the_same_schema():
    current = dict(schema_after_each_migration())
    for name, digest in recorded():
        assert name in current, f"migration {name} was removed or renamed"
        assert current[name] == digest, (
            f"migration {name} now makes another schema: never edit an applied migration,"
            " add a new one at the end of app/store/schema.py")


def test_migrations_run_in_the_recorded_order_and_new_ones_are_recorded():
    names = [name for name, _ in schema_after_each_migration()]
    known = [name for name, _ in recorded()]
    assert names[:len(known)] == known, "migrations were reordered, or one was added before the end"
    assert names == known, (
        f"migrations {names[len(known):]} are not recorded yet: "
        "run `.venv/bin/python -m tests.support.schema_snapshot`")
