"""GET /api/health: is the service up, and is its database reachable?"""

from __future__ import annotations

from flask_smorest import Blueprint

from schemas.session import HealthSchema

from ..db import get_db
from ..store import schema_version

bp = Blueprint("health", __name__, url_prefix="/api", description="Service health")


@bp.get("/health")
@bp.response(200, HealthSchema)
def health():
    db = get_db()
    db.execute("SELECT 1").fetchone()
    return {"status": "ok", "schema_version": schema_version(db)}
