"""Who is signed in (the session cookie), and the routes' role guard.

Roles are defined in app/roles.py; whether someone may act is decided in
app/permissions.py. Every write endpoint names the roles it admits with
`@require_role(...)`; anonymous users get 401, the wrong role 403. Sessions live in the
database (app/security/server_sessions.py): the signed cookie carries a random token, and
who the user is and their role are read from the database on every request. Passwords
are checked against their scrypt hash.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, session
from sqlite_utils import Database
from werkzeug.security import check_password_hash

from . import permissions
from .i18n import register
from .roles import ROLE_NAMES, User  # noqa: F401  (ROLE_NAMES: imported from here by pages)
from .security import clock

F = TypeVar("F", bound=Callable[..., Any])


register({
    "bad_login": {"zh-CN": "用户名或密码错误。", "en": "Wrong user name or password."},
})


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

    session.clear()
    session.permanent = True
    token = server_sessions.start(get_db(), user.id,
                                  current_app.permanent_session_lifetime.total_seconds())
    session.update({"user_id": user.id, "sid": token})
    g.pop("current_user", None)
    mark_signed_in()  # idle and age limits start now


def mark_signed_in() -> None:
    """When this session began and was last used: idle and age limits start now
    (checked before every request by app/edge/sessions.py)."""
    moment = clock.utcnow().timestamp()
    session["signed_in_at"] = moment
    session["seen_at"] = moment


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
            permissions.require_role(current_user(), roles)
            return view(*args, **kwargs)

        guarded.required_roles = roles  # type: ignore[attr-defined]  # read by the route-map test
        return guarded  # type: ignore[return-value]

    return decorate

