"""JSON endpoints, one blueprint per area."""

from __future__ import annotations

from flask import Flask

from .health import bp as health_bp
from .session import bp as session_bp


def register_api(app: Flask) -> None:
    app.register_blueprint(health_bp)
    app.register_blueprint(session_bp)
