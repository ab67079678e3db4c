"""Settings from environment variables, with safe defaults.

Secrets never live in the repository: when UNION_SECRET_KEY or UNION_BALLOT_KEY is not
set, a random one is made on first start and kept in the instance folder (mode 0600),
so each installation has its own.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _instance_dir() -> Path:
    return Path(os.environ.get("UNION_INSTANCE_DIR", BASE_DIR / "instance"))


def _secret(env_name: str, file_name: str, instance: Path) -> str:
    """The secret from the environment, else from the instance folder (made on first use)."""
    value = os.environ.get(env_name)
    if value:
        return value
    path = instance / file_name
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    # Written whole to a private temporary file, then linked into place: gunicorn's workers
    # start together, and none may read a half-written key or fail because another won.
    draft = instance / f".{file_name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(draft, path)  # atomic; fails when another process linked its key first
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def load_config() -> dict:
    """The Flask config mapping for this process."""
    instance = _instance_dir()
    return {
        "INSTANCE_DIR": str(instance),
        "DATABASE": os.environ.get("UNION_DATABASE", str(instance / "union.sqlite3")),
        "SECRET_KEY": _secret("UNION_SECRET_KEY", "secret_key", instance),
        # HMAC key for the ballot QR tag: forged or altered QR codes are refused.
        "BALLOT_KEY": _secret("UNION_BALLOT_KEY", "ballot_key", instance),
        "DEFAULT_LOCALE": os.environ.get("UNION_LOCALE", "zh-CN"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": _int("UNION_SESSION_SECONDS", 12 * 3600),
        # Uploads (ballot photos, rosters) are bounded: 16 MB and 40 megapixels.
        "MAX_CONTENT_LENGTH": _int("UNION_MAX_UPLOAD_BYTES", 16 * 1024 * 1024),
        "MAX_IMAGE_PIXELS": _int("UNION_MAX_IMAGE_PIXELS", 40_000_000),
        # Set by scripts/run.sh when nginx is in front: trust its X-Forwarded-For/-Proto (one hop).
        "BEHIND_PROXY": os.environ.get("UNION_BEHIND_PROXY") == "1",
        "LOGIN_RATE_LIMIT": os.environ.get("UNION_LOGIN_RATE_LIMIT", "10 per minute"),
        # Counted in one file for all workers (app/security/rate_store.py).
        "RATELIMIT_STORAGE_URI": f"union-sqlite://{instance.resolve() / 'ratelimit.sqlite3'}",
        "WTF_CSRF_TIME_LIMIT": None,
        # A session unused this long ends (tablets left on a table); see app/security/sessions.py.
        "SESSION_IDLE_SECONDS": _int("UNION_SESSION_IDLE_SECONDS", 2 * 3600),
        # Tablet enrollment QR codes work once, within this many seconds.
        "ENROLL_TOKEN_SECONDS": _int("UNION_ENROLL_TOKEN_SECONDS", 600),
        # The address tablets reach the service at, for the enrollment QR (default: as the
        # admin's browser reached it), e.g. http://192.168.1.10:8000
        "PUBLIC_BASE_URL": os.environ.get("UNION_PUBLIC_URL", ""),
    }
