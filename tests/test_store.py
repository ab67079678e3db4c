"""The SQLite store: pragmas, migrations, and the append-only hash-chained audit log."""

from __future__ import annotations

import sqlite3

import pytest

from app.store import audit, connect, migrate, schema_version, write_transaction


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "store.sqlite3")
    migrate(database)
    yield database
    database.close()


def test_wal_mode_durable_commits_and_foreign_keys(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO person (congress_id, name, card_code) VALUES (999, 'x', 'y')")


def test_migrations_are_idempotent_and_versioned(db):
    version = schema_version(db)
    assert version >= 1
    migrate(db)
    assert schema_version(db) == version
    assert {"congress", "person", "attendance", "contest", "candidate", "round", "ballot_serial",
            "ballot", "ballot_submission", "app_user", "audit_log"} <= set(db.table_names())


def test_write_transaction_is_all_or_nothing(db):
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("INSERT INTO congress (name, kind, assembly, members, created_at)"
                   " VALUES ('a', 'renewal', 'members', 10, 'now')")
        raise RuntimeError("half-way")
    assert db.execute("SELECT count(*) FROM congress").fetchone()[0] == 0


def test_audit_log_refuses_update_and_delete(db):
    with write_transaction(db):
        audit.append(db, "admin:a", "test.one")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit_log")


def _tamperable(db):
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")


def test_audit_chain_verifies_and_names_the_first_altered_entry(db):
    with write_transaction(db):
        for index in range(5):
            audit.append(db, "admin:a", f"test.{index}", detail={"n": index})
    assert audit.verify_chain(db).ok and audit.verify_chain(db).entries == 5
    _tamperable(db)
    third = db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 2").fetchone()[0]
    db.execute("UPDATE audit_log SET detail_json = '{\"n\":99}' WHERE id = ?", [third])
    check = audit.verify_chain(db)
    assert not check.ok and check.first_broken_id == third and "altered" in check.problem


def test_audit_chain_notices_a_removed_entry(db):
    with write_transaction(db):
        for index in range(4):
            audit.append(db, "admin:a", f"test.{index}")
    _tamperable(db)
    second = db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
    db.execute("DELETE FROM audit_log WHERE id = ?", [second])
    check = audit.verify_chain(db)
    assert not check.ok and check.first_broken_id == second
