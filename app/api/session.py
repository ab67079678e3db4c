"""Signing in and out: GET/POST/DELETE /api/session.

GET gives the CSRF token that every later write must send (header X-CSRFToken); a
successful sign-in answers with a fresh one.
"""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf

from schemas.session import LoginSchema, SessionSchema

from ..auth import authenticate, current_user, sign_in, sign_out
from ..db import get_db
from ..errors import AppError, Kind
from ..extensions import limiter
from ..security.sign_ins import record_failed_sign_in, record_sign_in
from .docs import error_responses

bp = Blueprint("session", __name__, url_prefix="/api", description="Signing in and out")


def _session():
    user = current_user()
    return {"user": None if user is None else user.__dict__, "csrf_token": generate_csrf()}


@bp.get("/session")
@bp.response(200, SessionSchema)
def who_am_i():
    return _session()


@bp.post("/session")
@bp.arguments(LoginSchema)
@bp.response(200, SessionSchema)
@error_responses(bp, 401, 429)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def login(data):
    db = get_db()
    user = authenticate(db, data["username"], data["password"])
    if user is None:
        record_failed_sign_in(db, data["username"])
        raise AppError(Kind.UNAUTHENTICATED, "bad_login")
    sign_in(user)
    record_sign_in(db, f"{user.role}:{user.username}", user.id)
    return _session()


@bp.delete("/session")
@bp.response(200, SessionSchema)
def logout():
    sign_out()
    return _session()
