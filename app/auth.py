"""Who is signed in, and what their role lets them do.

Roles: `admin` (secretariat), `chief_scrutineer` (总监票人), `scrutineer` (监票人),
`teller` (计票人). Every write endpoint names the roles it admits with
`@require_role(...)`; anonymous users get 401, the wrong role 403. Sessions live in the
database (app/security/server_sessions.py): the signed cookie carries a random token, and
who the user is and their role are read from the database on every request. Passwords
are checked against their scrypt hash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, g, session
from sqlite_utils import Database
from werkzeug.security import check_password_hash

from .errors import AppError
from .i18n import register

F = TypeVar("F", bound=Callable[..., Any])

ROLE_NAMES = {
    "admin": {"zh-CN": "大会秘书处", "en": "secretariat"},
    "chief_scrutineer": {"zh-CN": "总监票人", "en": "chief scrutineer"},
    "scrutineer": {"zh-CN": "监票人", "en": "scrutineer"},
    "teller": {"zh-CN": "计票人", "en": "teller"},
}

register({
    "bad_login": {"zh-CN": "用户名或密码错误。", "en": "Wrong user name or password."},
})


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str


def authenticate(db: Database, username: str, password: str) -> User | None:
    row = db.execute("SELECT id, username, display_name, role, password_hash FROM app_user"
                     " WHERE username = ? AND active = 1", [username]).fetchone()
    if row is None or not check_password_hash(row["password_hash"], password):
        return None
    return User(row["id"], row["username"], row["display_name"], row["role"])


def sign_in(user: User) -> None:
    from flask import current_app

    from .db import get_db
    from .security import server_sessions
    from .security.sessions import mark_signed_in  # idle and age limits start now

    session.clear()
    session.permanent = True
    token = server_sessions.start(get_db(), user.id,
                                  current_app.permanent_session_lifetime.total_seconds())
    session.update({"user_id": user.id, "sid": token})
    g.pop("current_user", None)
    mark_signed_in()


def sign_out() -> None:
    from .db import get_db
    from .security import server_sessions

    server_sessions.end(get_db(), session.get("sid"))
    session.clear()
    g.pop("current_user", None)


def current_user() -> User | None:
    """The signed-in user as the database has them now (role included), or None."""
    if "user_id" not in session:
        return None
    cached = g.get("current_user")
    if cached is not None and cached.id == session["user_id"]:
        return cached
    from .db import get_db
    from .security import server_sessions

    found = server_sessions.lookup(get_db(), session.get("sid"))
    if found is None or not found.active or found.id != session["user_id"]:
        return None
    user = User(found.id, found.username, found.display_name, found.role)
    g.current_user = user
    return user


def actor_name() -> str:
    """How the audit log names whoever is acting in this request."""
    user = current_user()
    return f"{user.role}:{user.username}" if user else "anonymous"


def require_role(*roles: str) -> Callable[[F], F]:
    """Admit only signed-in users with one of `roles` (no roles given: any signed-in user)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                raise AppError(401, "login_required")
            if roles and user.role not in roles:
                from .i18n import current_locale

                raise AppError(403, "forbidden_role",
                               role=ROLE_NAMES[user.role][current_locale()])
            return view(*args, **kwargs)

        guarded.required_roles = roles  # type: ignore[attr-defined]  # read by the route-map test
        return guarded  # type: ignore[return-value]

    return decorate


def init_auth(app: Flask) -> None:
    """Before every request: end sessions of deactivated users and idle or too old
    sessions, and refuse a guarded route early (app/security/sessions.py)."""
    from .security.sessions import check_request

    app.before_request(check_request)
