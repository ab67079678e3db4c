"""Server-side sessions: a sign-in is a row in `user_session`, found by the SHA-256 of a
random token that only the (signed) session cookie carries.

The cookie says which session, never who or in which role: the user and role are read
from the database on every request. Ending a session deletes its row, so a copy of the
cookie taken before sign-out, a password reset or a deactivation no longer works.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlite_utils import Database

from ..store import write_transaction
from . import clock


@dataclass(frozen=True)
class SessionUser:
    id: int
    username: str
    display_name: str
    role: str
    active: bool


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Database, user_id: int, lifetime_seconds: float) -> str:
    """A new session for `user_id`; returns the token for the cookie. Sessions older than
    their lifetime are swept out on the way."""
    token = secrets.token_urlsafe(32)
    moment = clock.utcnow()
    with write_transaction(db):
        db.execute("DELETE FROM user_session WHERE created_at < ?",
                   [clock.iso(moment - timedelta(seconds=lifetime_seconds))])
        db.execute("INSERT INTO user_session (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                   [_hash(token), user_id, clock.iso(moment)])
    return token


def lookup(db: Database, token: object) -> SessionUser | None:
    """The account of a live session, as the database has it now; None when the token is
    unknown (signed out, revoked, never issued)."""
    if not isinstance(token, str) or not token:
        return None
    row = db.execute(
        "SELECT u.id, u.username, u.display_name, u.role, u.active FROM user_session s"
        " JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ?", [_hash(token)]).fetchone()
    if row is None:
        return None
    return SessionUser(row["id"], row["username"], row["display_name"], row["role"],
                       bool(row["active"]))


def end(db: Database, token: object) -> None:
    """Sign-out: this session's row goes."""
    if isinstance(token, str) and token:
        with write_transaction(db):
            db.execute("DELETE FROM user_session WHERE token_hash = ?", [_hash(token)])


def end_all(db: Database, user_id: int) -> None:
    """Every session of a user ends (call inside the write transaction of the change)."""
    db.execute("DELETE FROM user_session WHERE user_id = ?", [user_id])
