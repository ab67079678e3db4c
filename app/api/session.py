"""Signing in and out: GET/POST/DELETE /api/session.

GET gives the CSRF token that every later write must send (header X-CSRFToken).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_wtf.csrf import generate_csrf

from ..auth import authenticate, current_user, sign_in, sign_out
from ..db import get_db
from ..errors import AppError
from ..extensions import limiter
from ..store import audit, write_transaction

bp = Blueprint("session", __name__, url_prefix="/api")


def _user_json():
    user = current_user()
    return None if user is None else {"id": user.id, "username": user.username,
                                      "display_name": user.display_name, "role": user.role}


@bp.get("/session")
def who_am_i():
    return jsonify({"user": _user_json(), "csrf_token": generate_csrf()})


@bp.post("/session")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def login():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("username"), str) \
            or not isinstance(data.get("password"), str):
        raise AppError(400, "invalid_input", detail="username, password")
    db = get_db()
    user = authenticate(db, data["username"], data["password"])
    if user is None:
        with write_transaction(db):
            audit.append(db, "anonymous", "session.login_failed", "", {"username": data["username"][:64]})
        raise AppError(401, "bad_login")
    sign_in(user)
    with write_transaction(db):
        audit.append(db, f"{user.role}:{user.username}", "session.login", f"user:{user.id}")
    return jsonify({"user": _user_json(), "csrf_token": generate_csrf()})


@bp.delete("/session")
def logout():
    sign_out()
    return jsonify({"user": None})
