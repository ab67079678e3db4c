"""The secretariat's accounts: /api/users (admin only).

GET lists them; POST creates one; POST …/password resets a password; POST …/deactivate
and …/activate switch an account off and on (its sessions end at once); POST
…/enrollment makes a one-time QR code that signs a tablet in as that teller.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_smorest import Blueprint

from schemas.users import (
    AccountListSchema,
    AccountSchema,
    EnrollmentSchema,
    NewAccountSchema,
    PasswordResetSchema,
)

from ..auth import actor_name, current_user, require_role
from ..db import get_db
from ..security import enrollment, users
from ..security.addresses import base_choices
from ..security.clock import iso
from .docs import error_responses

bp = Blueprint("users", __name__, url_prefix="/api/users",
               description="Accounts of the secretariat, scrutineers and tellers; tablet enrollment")


def _acting_id() -> int | None:
    user = current_user()
    return user.id if user else None


@bp.get("")
@require_role("admin")
@bp.response(200, AccountListSchema)
@error_responses(bp, 401, 403)
def list_accounts():
    return {"users": users.list_users(get_db())}


@bp.post("")
@require_role("admin")
@bp.arguments(NewAccountSchema)
@bp.response(201, AccountSchema)
@error_responses(bp, 400, 401, 403, 409)
def create_account(data):
    return users.create_account(get_db(), username=data["username"],
                                display_name=data["display_name"], role=data["role"],
                                password=data["password"], actor=actor_name())


@bp.post("/<int:user_id>/password")
@require_role("admin")
@bp.arguments(PasswordResetSchema)
@bp.response(200, AccountSchema)
@error_responses(bp, 400, 401, 403, 404)
def reset_password(data, user_id: int):
    return users.reset_password(get_db(), user_id, data["password"], actor_name())


@bp.post("/<int:user_id>/deactivate")
@require_role("admin")
@bp.response(200, AccountSchema)
@error_responses(bp, 401, 403, 404, 409)
def deactivate(user_id: int):
    return users.set_active(get_db(), user_id, False, actor_name(), _acting_id())


@bp.post("/<int:user_id>/activate")
@require_role("admin")
@bp.response(200, AccountSchema)
@error_responses(bp, 401, 403, 404)
def activate(user_id: int):
    return users.set_active(get_db(), user_id, True, actor_name(), _acting_id())


@bp.post("/<int:user_id>/enrollment")
@require_role("admin")
@bp.response(201, EnrollmentSchema)
@error_responses(bp, 401, 403, 404, 409)
def enroll_tablet(user_id: int):
    db = get_db()
    lifetime = int(current_app.config.get("ENROLL_TOKEN_SECONDS") or
                   enrollment.DEFAULT_LIFETIME_SECONDS)
    issued = enrollment.issue(db, user_id, actor_name(), _acting_id(), lifetime)
    # The tablet must reach the service at an address the admin's laptop may not use
    # (localhost): PUBLIC_BASE_URL says which, when set.
    # ?base= picks one of the addresses the users page offers (app/security/addresses.py).
    offered = base_choices(request.host_url, current_app.config.get("PUBLIC_BASE_URL"))
    asked = request.args.get("base")
    base = asked if asked in offered else (current_app.config.get("PUBLIC_BASE_URL")
                                           or request.host_url).rstrip("/")
    url = base + url_for("users_web.enroll_page", token=issued.token)
    return {"user": users.get_user(db, user_id), "url": url,
            "qr_png": enrollment.qr_png_data_uri(url), "expires_at": iso(issued.expires_at),
            "lifetime_seconds": lifetime}
