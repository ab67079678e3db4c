"""Tablet enrollment: the secretariat shows a QR code; the teller's tablet scans it and is
signed in as that teller without typing a password.

The QR holds a URL with a random token (192 bits). Only the token's SHA-256 is stored, so
a copy of the database cannot be used to sign in; a token of that strength needs no slow
KDF. A token works once, within ENROLL_TOKEN_SECONDS (10 minutes by default), and only for
an active teller.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import qrcode
from qrcode.image.pil import PilImage
from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import current_locale, register
from ..roles import ROLE_NAMES, User
from ..store import audit, write_transaction
from . import clock

DEFAULT_LIFETIME_SECONDS = 600

register({
    "enroll_not_teller": {"zh-CN": "只能为计票人登记平板；{username} 的角色是{role}。",
                          "en": "Tablets can be enrolled for tellers only; {username} is a {role}."},
    "enroll_user_inactive": {"zh-CN": "账号 {username} 已停用，不能登记平板。",
                             "en": "The account {username} is deactivated; no tablet can be "
                                   "enrolled for it."},
})


@dataclass(frozen=True)
class Issued:
    token: str
    expires_at: datetime


class EnrollmentRefused(Exception):
    """A token that cannot sign anyone in: `forged` (unknown), `expired`, `spent`,
    or `inactive` (the teller was deactivated since)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(db: Database, user_id: int, actor: str, created_by: int | None,
          lifetime_seconds: int = DEFAULT_LIFETIME_SECONDS) -> Issued:
    """A fresh one-time token for the teller `user_id`; the token itself is returned once
    and never stored."""
    token = secrets.token_urlsafe(24)
    issued_at = clock.utcnow()
    expires_at = issued_at + timedelta(seconds=lifetime_seconds)
    with write_transaction(db):
        row = db.execute("SELECT username, role, active FROM app_user WHERE id = ?",
                         [user_id]).fetchone()
        if row is None:
            raise AppError(Kind.NOT_FOUND, "user_not_found", user_id=user_id)
        if row["role"] != "teller":
            raise AppError(Kind.CONFLICT, "enroll_not_teller", username=row["username"],
                           role=ROLE_NAMES[row["role"]][current_locale()])
        if not row["active"]:
            raise AppError(Kind.CONFLICT, "enroll_user_inactive", username=row["username"])
        token_id = db.execute(
            "INSERT INTO enrollment_token (token_hash, user_id, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [token_hash(token), user_id, created_by, clock.iso(issued_at), clock.iso(expires_at)],
        ).lastrowid
        audit.append(db, actor, "enrollment.issue", f"user:{user_id}",
                     {"token_id": token_id, "expires_at": clock.iso(expires_at)})
    return Issued(token, expires_at)


def _usable(db: Database, token: str):
    """The token's row and its teller, or EnrollmentRefused saying why not."""
    row = db.execute(
        "SELECT e.id, e.expires_at, e.spent_at, u.id AS user_id, u.username, u.display_name,"
        " u.role, u.active FROM enrollment_token e JOIN app_user u ON u.id = e.user_id"
        " WHERE e.token_hash = ?", [token_hash(token)]).fetchone()
    if row is None:
        raise EnrollmentRefused("forged")
    if row["spent_at"] is not None:
        raise EnrollmentRefused("spent")
    if clock.utcnow() >= datetime.fromisoformat(row["expires_at"]):
        raise EnrollmentRefused("expired")
    if not row["active"] or row["role"] != "teller":
        raise EnrollmentRefused("inactive")
    return row


def check(db: Database, token: str) -> User:
    """Whom the token would sign in, without spending it (for the confirmation page)."""
    row = _usable(db, token)
    return User(row["user_id"], row["username"], row["display_name"], row["role"])


def redeem(db: Database, token: str) -> User:
    """Spend the token and return the teller it signs in. Two tablets racing with the same
    token: the write lock makes the second one see it spent."""
    with write_transaction(db):
        row = _usable(db, token)
        db.execute("UPDATE enrollment_token SET spent_at = ? WHERE id = ?",
                   [clock.iso(clock.utcnow()), row["id"]])
        audit.append(db, f"teller:{row['username']}", "enrollment.redeem",
                     f"user:{row['user_id']}", {"token_id": row["id"]})
    return User(row["user_id"], row["username"], row["display_name"], row["role"])


def qr_png_data_uri(text: str) -> str:
    """`text` as a QR code, a PNG in a data: URI for an <img> (no file, no extra request)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
