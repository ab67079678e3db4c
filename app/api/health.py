"""GET /api/health: is the service up, and is its database reachable?"""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import current_app
from flask_smorest import Blueprint

from schemas.session import HealthSchema

from ..db import get_db
from ..i18n import t
from ..store import schema_version

# Below this much free space a ballot may no longer be written durably: say so (503).
MIN_FREE_BYTES = 50 * 1024 * 1024

bp = Blueprint("health", __name__, url_prefix="/api", description="Service health")


@bp.get("/health")
@bp.response(200, HealthSchema)
def health():
    db = get_db()
    db.execute("SELECT 1").fetchone()
    free = shutil.disk_usage(Path(current_app.config["DATABASE"]).resolve().parent).free
    minimum = current_app.config.get("MIN_FREE_BYTES", MIN_FREE_BYTES)
    answer = {"status": "ok", "schema_version": schema_version(db),
              "disk_free_mb": free // (1024 * 1024)}
    if free < minimum:
        return {**answer, "status": "disk_full", "message": t("disk_full")}, 503
    return answer
