"""Counting a stack through the office copier (issue 13): upload the scanned file, watch
it being read, confirm the staged pages, the reject list and the cross-check.

    POST /api/rounds/<round_id>/scan-batches            upload a PDF/TIFF/ZIP; reading starts
    GET  /api/rounds/<round_id>/scan-batches            the round's batches
    GET  /api/scan-batches/<batch_id>                   progress, counts and every staged page
    GET  /api/scan-batches/<batch_id>/pages/<page>/image   the page with its reading drawn
    POST /api/scan-batches/<batch_id>/confirm           record every clean page
    POST /api/scan-batches/<batch_id>/pages/<page>/confirm   record one page as corrected
    GET  /api/scan-batches/<batch_id>/rejects           the pages to pull from the stack
    GET  /api/rounds/<round_id>/cross-check             tablets vs scanner, where they differ
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import RequestEntityTooLarge

from schemas.batch import (
    CrossCheckSchema,
    ReadingSchema,
    ScanBatchListSchema,
    ScanBatchSchema,
    ScanBatchUploadSchema,
    ScanConfirmedSchema,
    ScanPageConfirmedSchema,
    ScanRejectListSchema,
)

from ..auth import actor_name, current_user, require_role
from ..batch import messages  # noqa: F401  (registers the area's words)
from ..batch.confirm import confirm_clean, confirm_page
from ..batch.jobs import start_batch
from ..batch.reports import cross_check, reason_words, reject_list
from ..batch.staging import (
    batch_counts,
    batch_ids_of_round,
    check_round_open,
    load_batch,
    page_image,
    page_rows,
    pages_with_image,
)
from ..counting import Teller
from ..db import get_db
from ..errors import AppError, Kind
from ..i18n import t
from ..permissions import check_may_count
from ..roles import COUNTERS, SCAN_UPLOADERS, SCRUTINEERS
from .docs import error_responses

bp = Blueprint("batch", __name__, url_prefix="/api", description="Reading a scanned stack of ballots")

UPLOADERS = SCAN_UPLOADERS  # "a teller or the chief scrutineer"
VIEWERS = COUNTERS
MAX_BATCH_BYTES = 512 * 1024 * 1024  # a 500-page colour scan at 300 dpi is about 400 MB


@bp.before_request
def _larger_uploads() -> None:
    """A scanned stack is far larger than a photo: this endpoint's own limit (the file is
    spooled to disk by the form parser, never held in memory)."""
    if request.method == "POST" and request.path.endswith("/scan-batches"):
        request.max_content_length = current_app.config.get("MAX_BATCH_UPLOAD_BYTES", MAX_BATCH_BYTES)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge):
    limit = current_app.config.get("MAX_BATCH_UPLOAD_BYTES", MAX_BATCH_BYTES)
    error = AppError(Kind.TOO_LARGE, "file_too_large", "batch.file_too_large",
                     limit=f"{limit // (1024 * 1024)} MB")
    return error.body(), 413


def _teller() -> Teller:
    user = current_user()
    return Teller(user.id if user else None, actor_name())


def _r12(round_id: int) -> None:
    """R12 and the appointment, decided in app/permissions.py."""
    check_may_count(get_db(), current_user(), round_id)


def _error_text(code: str | None) -> str | None:
    if code is None:
        return None
    known = ("unknown_format", "bad_file", "unreadable_file", "no_pages", "too_many_pages")
    return t(f"batch.{code}") if code in known else t("server_error")


def _batch_view(batch: dict[str, Any], with_pages: bool) -> dict[str, Any]:
    db = get_db()
    view = {"id": batch["id"], "round_id": batch["round_id"], "source_name": batch["source_name"],
            "state": batch["state"], "error": batch["error_code"],
            "error_text": _error_text(batch["error_code"]), "pages": batch["pages"],
            "done": batch["done"], "seconds": batch["seconds"], "created_at": batch["created_at"],
            "counts": batch_counts(db, batch["id"])}
    if with_pages:
        pages = page_rows(db, batch["id"])
        with_image = pages_with_image(db, batch["id"])
        for page in pages:
            page["refused_text"] = reason_words(page["refused"]) if page["refused"] else None
            page["image_url"] = (f"/api/scan-batches/{batch['id']}/pages/{page['page']}/image"
                                 if page["page"] in with_image else None)
        view["page_list"] = pages
    return view


@bp.post("/rounds/<int:round_id>/scan-batches")
@require_role(*UPLOADERS)
@bp.arguments(ScanBatchUploadSchema, location="files")
@bp.response(202, ScanBatchSchema)
@error_responses(bp, 401, 403, 404, 409, 413, 422)
def upload_batch(files, round_id: int):
    """Upload a scanned stack; it is read in the background and staged (nothing counted)."""
    db = get_db()
    check_round_open(db, round_id)
    _r12(round_id)
    user = current_user()
    batch_id = start_batch(current_app._get_current_object(), db, round_id,  # type: ignore[attr-defined]
                           files["file"], user.id if user else None, actor_name())
    return _batch_view(load_batch(db, batch_id), with_pages=False)


@bp.get("/rounds/<int:round_id>/scan-batches")
@require_role(*VIEWERS)
@bp.response(200, ScanBatchListSchema)
@error_responses(bp, 401, 403, 404)
def round_batches(round_id: int):
    db = get_db()
    return {"batches": [_batch_view(load_batch(db, batch_id), with_pages=False)
                        for batch_id in batch_ids_of_round(db, round_id)]}


@bp.get("/scan-batches/<int:batch_id>")
@require_role(*VIEWERS)
@bp.response(200, ScanBatchSchema)
@error_responses(bp, 401, 403, 404)
def get_batch(batch_id: int):
    """The batch's progress and counts; with every staged page once read."""
    return _batch_view(load_batch(get_db(), batch_id), with_pages=True)


@bp.get("/scan-batches/<int:batch_id>/pages/<int:page>/image")
@require_role(*VIEWERS)
@bp.response(200, content_type="image/jpeg", description="the page with its reading drawn over it")
@error_responses(bp, 401, 403, 404)
def get_page_image(batch_id: int, page: int):
    data = page_image(get_db(), batch_id, page)
    return Response(data, mimetype="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@bp.post("/scan-batches/<int:batch_id>/confirm")
@require_role(*UPLOADERS)
@bp.response(200, ScanConfirmedSchema)
@error_responses(bp, 401, 403, 404, 409)
def confirm_batch(batch_id: int):
    """Record every clean page of the batch (same recording as a tablet)."""
    db = get_db()
    batch = load_batch(db, batch_id)
    _r12(batch["round_id"])
    return confirm_clean(db, batch_id, _teller(), key=current_app.config["BALLOT_KEY"])


@bp.post("/scan-batches/<int:batch_id>/pages/<int:page>/confirm")
@require_role(*UPLOADERS)
@bp.arguments(ReadingSchema)
@bp.response(200, ScanPageConfirmedSchema)
@error_responses(bp, 401, 403, 404, 409, 422)
def confirm_one_page(data, batch_id: int, page: int):
    """Record one page as the teller decided its unsure rows and typed its write-ins."""
    db = get_db()
    batch = load_batch(db, batch_id)
    _r12(batch["round_id"])
    outcome = confirm_page(db, batch_id, page, data["marks"], data["write_ins"], data["invalid"],
                           data["invalid_reason"], _teller(), key=current_app.config["BALLOT_KEY"])
    return {"page": page, "outcome": outcome}


@bp.get("/scan-batches/<int:batch_id>/rejects")
@require_role(*VIEWERS)
@bp.response(200, ScanRejectListSchema)
@error_responses(bp, 401, 403, 404)
def batch_rejects(batch_id: int):
    return reject_list(get_db(), batch_id)


@bp.get("/rounds/<int:round_id>/cross-check")
@require_role(*SCRUTINEERS)
@bp.response(200, CrossCheckSchema)
@error_responses(bp, 401, 403, 404)
def round_cross_check(round_id: int):
    """Serials read both by tablets and by the scanner whose readings differ."""
    return cross_check(get_db(), round_id)
