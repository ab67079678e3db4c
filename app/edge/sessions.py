"""What is checked before every request, whatever the route.

1. The session is still good: its user exists and is active, nothing revoked it since it
   began (password reset, deactivation), it is younger than PERMANENT_SESSION_LIFETIME
   and it was used within SESSION_IDLE_SECONDS. Otherwise the user part of the session is
   dropped (the CSRF token stays, so the answer is a clear 401, not a CSRF failure).
2. The route's roles: a view marked by `require_role` is refused here, before its body is
   parsed, so anonymous users and wrong roles learn nothing about the input a route wants
   and get the same 401/403 whatever the order of the route's decorators. `require_role`
   itself still checks again inside the view.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, request, session

from .. import permissions
from ..auth import current_user
from ..errors import AppError, Kind
from ..i18n import register
from ..security import clock
from .access_log import remember_route

DEFAULT_IDLE_SECONDS = 2 * 3600
USER_KEYS = ("user_id", "sid", "username", "display_name", "role", "signed_in_at", "seen_at")
# The idle stamp is rewritten at most this often, so that busy tablets do not get a new
# cookie on every request.
SEEN_RESOLUTION_SECONDS = 30

register({
    "session_ended": {"zh-CN": "登录已失效（超时未操作、账号已停用或密码已重置），请重新登录。",
                      "en": "Your session has ended (idle too long, account deactivated or "
                            "password reset); please sign in again."},
})


def _end(reason: str) -> None:
    for key in USER_KEYS:
        session.pop(key, None)
    # Remembered until the next sign-in, so that the tablet is told why, not just "sign in".
    session["session_ended"] = reason


def _session_problem(now: float) -> str | None:
    """Why the signed-in session may no longer be used, or None."""
    signed_in_at = session.get("signed_in_at")
    seen_at = session.get("seen_at", signed_in_at)
    if not isinstance(signed_in_at, (int, float)) or not isinstance(seen_at, (int, float)):
        return "unstamped"
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if now - signed_in_at > lifetime:
        return "too_old"
    idle = current_app.config.get("SESSION_IDLE_SECONDS") or DEFAULT_IDLE_SECONDS
    if now - seen_at > idle:
        return "idle"
    from ..db import get_db
    from ..security import server_sessions

    live = server_sessions.lookup(get_db(), session.get("sid"))
    if live is None or live.id != session["user_id"]:
        return "revoked"  # signed out, password reset or deactivated: the row is gone
    row = get_db().execute("SELECT active, sessions_valid_after FROM app_user WHERE id = ?",
                           [session["user_id"]]).fetchone()
    if row is None or not row["active"]:
        return "inactive"
    revoked = row["sessions_valid_after"]
    if revoked and datetime.fromisoformat(revoked).timestamp() >= signed_in_at:
        return "revoked"
    return None


def required_roles(view: Any, method: str) -> tuple[str, ...] | None:
    """The roles a route's view admits (`require_role`), or None when it has no guard.
    Class-based views carry the mark on the method that handles `method`."""
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, method.lower(), None)
    return getattr(view, "required_roles", None)


def check_request() -> None:
    """The before_request hook (registered by app.create_app)."""
    remember_route()  # for the access log, which shows route patterns, not paths (R10)
    if "user_id" in session:
        now = clock.utcnow().timestamp()
        problem = _session_problem(now)
        if problem:
            _end(problem)
        elif now - session.get("seen_at", 0) >= SEEN_RESOLUTION_SECONDS:
            session["seen_at"] = now
    if request.endpoint is None or request.method == "OPTIONS":
        return
    roles = required_roles(current_app.view_functions.get(request.endpoint), request.method)
    if roles is None:
        return
    if "user_id" not in session and session.get("session_ended"):
        raise AppError(Kind.UNAUTHENTICATED, "session_ended")
    permissions.require_role(current_user(), roles)
