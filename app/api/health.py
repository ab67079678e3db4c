"""GET /api/health: is the service up, and is its database reachable?"""

from __future__ import annotations

from flask import Blueprint, jsonify

from ..db import get_db
from ..store import schema_version

bp = Blueprint("health", __name__, url_prefix="/api")


@bp.get("/health")
def health():
    db = get_db()
    db.execute("SELECT 1").fetchone()
    return jsonify({"status": "ok", "schema_version": schema_version(db)})
