"""Who is signed in (the session cookie), and the routes' role guard.

Roles are defined in app/roles.py; whether someone may act is decided in
app/permissions.py. Every write endpoint names the roles it admits with
`@require_role(...)`; anonymous users get 401, the wrong role 403. Sessions are signed
cookies that expire (PERMANENT_SESSION_LIFETIME); passwords are checked against their
scrypt hash.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import session
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
    session.clear()
    session.permanent = True
    session.update({"user_id": user.id, "username": user.username,
                    "display_name": user.display_name, "role": user.role})
    mark_signed_in()


def mark_signed_in() -> None:
    """When this session began and was last used: idle and age limits start now
    (checked before every request by app/edge/sessions.py)."""
    moment = clock.utcnow().timestamp()
    session["signed_in_at"] = moment
    session["seen_at"] = moment


def sign_out() -> None:
    session.clear()


def current_user() -> User | None:
    if "user_id" not in session:
        return None
    return User(session["user_id"], session["username"], session["display_name"], session["role"])


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

