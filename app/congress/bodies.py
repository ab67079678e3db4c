"""The bodies a service holds: congresses and, under each, its plenaries (R13, modelled
as congress rows with a parent). Which one a page works on, and the list the switcher
shows. Archived bodies stay listed (marked) but are never chosen by default."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..store import audit, write_transaction
from ..store.clock import now


def all_bodies(db: Database) -> list[dict[str, Any]]:
    """Every body, each congress followed by its plenaries: id, name, parent_id, archived, depth."""
    rows = [dict(row) for row in db.execute(
        "SELECT id, name, parent_id, archived_at FROM congress ORDER BY id")]
    children: dict[int | None, list[dict[str, Any]]] = {}
    ids = {row["id"] for row in rows}
    for row in rows:
        key = row["parent_id"] if row["parent_id"] in ids else None
        children.setdefault(key, []).append(row)
    ordered: list[dict[str, Any]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for row in children.get(parent_id, []):
            ordered.append({"id": row["id"], "name": row["name"], "parent_id": row["parent_id"],
                            "archived": row["archived_at"] is not None, "depth": depth})
            walk(row["id"], depth + 1)

    walk(None, 0)
    return ordered


def exists(db: Database, congress_id: int) -> bool:
    return db.execute("SELECT 1 FROM congress WHERE id = ?", [congress_id]).fetchone() is not None


def is_archived(db: Database, congress_id: int) -> bool:
    row = db.execute("SELECT archived_at FROM congress WHERE id = ?", [congress_id]).fetchone()
    return row is not None and row[0] is not None


def default_body_id(db: Database) -> int | None:
    """The newest body not archived (else the newest of all): what a page shows unasked."""
    row = db.execute("SELECT max(id) FROM congress WHERE archived_at IS NULL").fetchone()
    if row[0] is not None:
        return int(row[0])
    row = db.execute("SELECT max(id) FROM congress").fetchone()
    return int(row[0]) if row[0] is not None else None


def choose(db: Database, asked: int | None, remembered: int | None) -> int | None:
    """The body a page works on: the one asked for, else the one remembered, else the default."""
    for candidate in (asked, remembered):
        if candidate is not None and exists(db, candidate):
            return candidate
    return default_body_id(db)


def set_archived(db: Database, congress_id: int, archived: bool, actor: str) -> bool:
    """Archive (or bring back) a body; False when there is no such body."""
    with write_transaction(db):
        if not exists(db, congress_id):
            return False
        db.execute("UPDATE congress SET archived_at = ? WHERE id = ?",
                   [now() if archived else None, congress_id])
        audit.append(db, actor, "congress.archive" if archived else "congress.unarchive",
                     f"congress:{congress_id}", {})
    return True
