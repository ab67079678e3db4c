"""Flask extensions shared across areas: CSRF protection and the rate limiter."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect

from .edge.errors import json_error
from .i18n import t
from .security.rate_store import SQLiteStorage  # noqa: F401  (registers union-sqlite://)

csrf = CSRFProtect()
# The storage comes from RATELIMIT_STORAGE_URI (config.py): one SQLite file shared by all
# workers, so the sign-in limit holds across them.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_extensions(app: Flask) -> None:
    csrf.init_app(app)
    limiter.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_failed(_error: CSRFError):
        return json_error(400, "csrf_failed", t("csrf_failed"))
