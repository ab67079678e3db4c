"""The schema each migration leaves behind, to catch an applied migration being edited.

`schema_after_each_migration()` applies the migrations of app/store/schema.py one by one
to an empty in-memory database and fingerprints `sqlite_master` after each.
tests/support/schema_snapshot.json holds the fingerprints of the migrations already
applied somewhere; tests/test_schema_snapshot.py compares.

After ADDING a migration (at the end), record its fingerprint:

    .venv/bin/python -m tests.support.schema_snapshot
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlite_utils import Database

from app.store.schema import migrations

SNAPSHOT = Path(__file__).with_name("schema_snapshot.json")


def _fingerprint(db: Database) -> str:
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"
                      " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    text = "\n".join(f"{kind} {name} {table}: {sql}" for kind, name, table, sql in rows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def schema_after_each_migration() -> list[tuple[str, str]]:
    """(migration name, fingerprint of the whole schema after it), in order."""
    db = Database(memory=True)
    found = []
    for migration in migrations._migrations:  # noqa: SLF001  (sqlite-utils lists them nowhere else)
        migration.fn(db)
        found.append((migration.name, _fingerprint(db)))
    return found


def recorded() -> list[tuple[str, str]]:
    return [(item["migration"], item["schema_sha256"]) for item in json.loads(SNAPSHOT.read_text())]


def record_new() -> list[str]:
    """Append the migrations not yet recorded; never rewrites a recorded one."""
    known = recorded()
    current = schema_after_each_migration()
    if current[:len(known)] != known:
        raise SystemExit("a recorded migration changed: put it back and add a new one instead")
    added = current[len(known):]
    SNAPSHOT.write_text(json.dumps([{"migration": name, "schema_sha256": digest}
                                    for name, digest in known + added], indent=1) + "\n")
    return [name for name, _ in added]


if __name__ == "__main__":
    print("recorded:", ", ".join(record_new()) or "nothing new")
