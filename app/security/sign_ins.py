"""The audit log's record of signing in: who signed in, and which user names were tried
with a wrong password (the log is how the secretariat sees someone guessing)."""

from __future__ import annotations

from sqlite_utils import Database

from ..store import audit, write_transaction


def record_sign_in(db: Database, actor: str, user_id: int) -> None:
    with write_transaction(db):
        audit.append(db, actor, "session.login", f"user:{user_id}")


def record_failed_sign_in(db: Database, username: str) -> None:
    with write_transaction(db):
        audit.append(db, "anonymous", "session.login_failed", "", {"username": username})
