"""The secretariat's account management: list, create, reset a password, deactivate and
reactivate. Every change is one write transaction with its audit entry inside it.

Passwords are hashed with werkzeug's scrypt and never written anywhere else: not to the
audit log, not to the application log. Resetting a password or deactivating an account
also ends that user's existing sessions (`sessions_valid_after`, checked before every
request by `app.edge.sessions`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from ..congress.setup import ROLES, create_user
from ..errors import AppError, Kind
from ..i18n import register
from ..store import audit, write_transaction
from . import clock, server_sessions
from .passwords import check_password

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MAX_DISPLAY_NAME = 40

register({
    "user_not_found": {"zh-CN": "找不到该用户（可能已被删除），请刷新页面。",
                       "en": "There is no such user (perhaps removed); reload the page."},
    "user_exists": {"zh-CN": "用户名“{username}”已被使用，请换一个。",
                    "en": "The user name “{username}” is already taken."},
    "bad_username": {"zh-CN": "用户名只能包含英文字母、数字和 . _ -，以字母或数字开头，最多 32 个字符。",
                     "en": "A user name has letters, digits and . _ - only, starts with a letter "
                           "or digit, and has at most 32 characters."},
    "bad_display_name": {"zh-CN": "姓名不能为空，不能含控制字符，最多 {max} 个字符。",
                         "en": "The display name must be 1 to {max} characters with no control "
                               "characters."},
    "cannot_deactivate_self": {"zh-CN": "不能停用您自己正在使用的账号。",
                               "en": "You cannot deactivate the account you are using."},
    "last_admin": {"zh-CN": "至少要保留一个启用的秘书处账号。",
                   "en": "At least one active secretariat account must remain."},
})


def _public(row: Any) -> dict[str, Any]:
    return {"id": row["id"], "username": row["username"], "display_name": row["display_name"],
            "role": row["role"], "active": bool(row["active"]), "created_at": row["created_at"]}


def list_users(db: Database) -> list[dict[str, Any]]:
    """Every account, active ones first, then by role and user name (no hashes)."""
    rows = db.execute("SELECT id, username, display_name, role, active, created_at FROM app_user"
                      " ORDER BY active DESC, role, username").fetchall()
    return [_public(row) for row in rows]


def get_user(db: Database, user_id: int) -> dict[str, Any]:
    row = db.execute("SELECT id, username, display_name, role, active, created_at FROM app_user"
                     " WHERE id = ?", [user_id]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "user_not_found", user_id=user_id)
    return _public(row)


def _check_password(password: str) -> None:
    check_password(password)  # length, common passwords (app/security/passwords.py)


def _clean_display_name(text: str) -> str:
    name = text.strip()
    if not name or len(name) > MAX_DISPLAY_NAME or any(
            unicodedata.category(char) in ("Cc", "Cf") for char in name):
        raise AppError(Kind.BAD_REQUEST, "bad_display_name", max=MAX_DISPLAY_NAME)
    return name


def create_account(db: Database, *, username: str, display_name: str, role: str, password: str,
                   actor: str) -> dict[str, Any]:
    """A new account; the audit entry (written by congress.setup.create_user) names the user
    name and role, never the password."""
    if not USERNAME_RE.match(username):
        raise AppError(Kind.BAD_REQUEST, "bad_username")
    name = _clean_display_name(display_name)
    if role not in ROLES:  # the schema refuses it first; kept for callers other than the API
        raise AppError(Kind.BAD_REQUEST, "invalid_input", detail=f"role: {role}")
    _check_password(password)
    try:
        with write_transaction(db):
            taken = db.execute("SELECT 1 FROM app_user WHERE username = ? COLLATE NOCASE",
                               [username]).fetchone()
            if taken:
                raise AppError(Kind.CONFLICT, "user_exists", username=username)
            user_id = create_user(db, username=username, display_name=name, password=password,
                                  role=role, actor=actor)
    except sqlite3.IntegrityError as error:  # a simultaneous create with the same name
        raise AppError(Kind.CONFLICT, "user_exists", username=username) from error
    return get_user(db, user_id)


def reset_password(db: Database, user_id: int, password: str, actor: str) -> dict[str, Any]:
    """A new password; the user's sessions signed in before now stop working."""
    _check_password(password)
    with write_transaction(db):
        user = get_user(db, user_id)
        db.execute("UPDATE app_user SET password_hash = ?, sessions_valid_after = ? WHERE id = ?",
                   [generate_password_hash(password, method="scrypt"), clock.iso(clock.utcnow()),
                    user_id])
        server_sessions.end_all(db, user_id)
        audit.append(db, actor, "user.password_reset", f"user:{user_id}",
                     {"username": user["username"]})
    return get_user(db, user_id)


def set_active(db: Database, user_id: int, active: bool, actor: str,
               acting_user_id: int | None) -> dict[str, Any]:
    """Deactivate (its sessions end on their next request) or reactivate an account."""
    with write_transaction(db):
        user = get_user(db, user_id)
        if not active:
            if user_id == acting_user_id:
                raise AppError(Kind.CONFLICT, "cannot_deactivate_self")
            if user["role"] == "admin" and user["active"]:
                others = db.execute("SELECT count(*) FROM app_user WHERE role = 'admin'"
                                    " AND active = 1 AND id != ?", [user_id]).fetchone()[0]
                if others == 0:
                    raise AppError(Kind.CONFLICT, "last_admin")
        if user["active"] == active:
            return user  # nothing changes, nothing to audit: a retried click is harmless
        db.execute("UPDATE app_user SET active = ?, sessions_valid_after = ? WHERE id = ?",
                   [int(active), clock.iso(clock.utcnow()), user_id])
        server_sessions.end_all(db, user_id)
        audit.append(db, actor, "user.activate" if active else "user.deactivate",
                     f"user:{user_id}", {"username": user["username"]})
    return get_user(db, user_id)
