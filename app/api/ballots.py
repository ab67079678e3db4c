"""Ballots: the layout of a round's ballot, print jobs, spare ballots, issuance accounting.

    GET  /api/ballot-rounds                      rounds to print for (any signed-in user)
    GET  /api/rounds/<id>/layout                the ballot layout in mm (any signed-in user)
    POST /api/rounds/<id>/print-jobs            print N ballots in the background (admin)
    GET  /api/print-jobs/<job>                  its progress (admin)
    GET  /api/print-jobs/<job>/pdf              the finished PDF (admin)
    DELETE /api/print-jobs/<job>                delete its files once printed (admin)
    POST /api/rounds/<id>/spares/void           void one spare by QR or code (admin, chief)
    PUT  /api/rounds/<id>/spares/count          spares voided by count (admin, chief)
    PUT  /api/rounds/<id>/issued                I by hand, or null (admin, chief)
    PUT  /api/rounds/<id>/issued-over-present   I > P acknowledged with a reason (admin, chief)
    PUT  /api/rounds/<id>/returned              R (chief scrutineer)
    GET  /api/rounds/<id>/issuance              printed, voided, I, R, R2 (any signed-in user)
"""

from __future__ import annotations

import io

from flask import current_app, request, send_file
from flask_smorest import Blueprint

from schemas.ballots import (
    AccountingSchema,
    BallotRoundSchema,
    IssuedOverPresentSchema,
    IssuedSchema,
    LayoutSchema,
    OverPresentReasonSchema,
    PrintJobRequestSchema,
    PrintJobSchema,
    ReturnedSchema,
    VoidCountSchema,
    VoidedSchema,
    VoidSpareSchema,
)

from ..auth import actor_name, require_role
from ..ballots import issue, jobs
from ..ballots.round_layout import load_round, round_layout
from ..ballots.rounds import rounds_to_print_for
from ..db import get_db
from ..roles import ISSUANCE_KEEPERS, SEALERS, SECRETARIAT
from .docs import error_responses

bp = Blueprint("ballots", __name__, url_prefix="/api",
               description="Ballots: layout, printing, spare ballots, issuance accounting")

WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


@bp.get("/ballot-rounds")
@bp.response(200, BallotRoundSchema(many=True))
@error_responses(bp, 401)
@require_role()
def list_rounds():
    """Every round, or with ?congress=ID only that body's, each naming its congress."""
    return rounds_to_print_for(get_db(), request.args.get("congress", type=int))


@bp.get("/rounds/<int:round_id>/layout")
@bp.response(200, LayoutSchema)
@error_responses(bp, 401, 404, 409)
@require_role()
def layout(round_id: int):
    return round_layout(get_db(), round_id)


@bp.post("/rounds/<int:round_id>/print-jobs")
@bp.arguments(PrintJobRequestSchema)
@bp.response(202, PrintJobSchema)
@error_responses(bp, *WRITE_ERRORS, 503)
@require_role(*SECRETARIAT)
def start_print_job(data, round_id: int):
    # The thread needs the app itself, not the proxy (werkzeug types the proxy as the app).
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # noqa: SLF001
    state = jobs.start_print_job(app, get_db(), round_id, data["count"], actor_name())
    return jobs.job_state(app, state["id"])


@bp.get("/print-jobs/<job_id>")
@bp.response(200, PrintJobSchema)
@error_responses(bp, 401, 403, 404)
@require_role(*SECRETARIAT)
def print_job(job_id: str):
    return jobs.job_state(current_app, job_id)


@bp.get("/print-jobs/<job_id>/pdf")
@bp.response(200, content_type="application/pdf",
             description="The printed ballots, one A4 page each")
@error_responses(bp, 401, 403, 404, 409)
@require_role(*SECRETARIAT)
def print_job_pdf(job_id: str):
    path, state = jobs.job_pdf(current_app, job_id)
    name = f"ballots-contest{state['contest_id']}-round{state['round_id']}-batch{state['batch']}.pdf"
    # Read, then deleted before it is sent: the PDF lists serials in the order the sheets
    # come off the printer, so it is never kept on the server after download (R10).
    data = jobs.take_pdf(path)
    jobs.mark_downloaded(current_app, job_id)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=name)


@bp.delete("/print-jobs/<job_id>")
@bp.response(204)
@error_responses(bp, 401, 403, 404, 409)
@require_role(*SECRETARIAT)
def delete_print_job(job_id: str):
    jobs.delete_job(current_app, job_id)


@bp.post("/rounds/<int:round_id>/spares/void")
@bp.arguments(VoidSpareSchema)
@bp.response(200, VoidedSchema)
@error_responses(bp, *WRITE_ERRORS)
@require_role(*ISSUANCE_KEEPERS)
def void_spare(data, round_id: int):
    db = get_db()
    serial = issue.void_spare(db, current_app.config["BALLOT_KEY"], round_id,
                              payload_text=data.get("payload"), typed_code=data.get("code"),
                              actor=actor_name())
    return {"serial": serial, "accounting": issue.accounting(db, round_id)}


@bp.put("/rounds/<int:round_id>/spares/count")
@bp.arguments(VoidCountSchema)
@bp.response(200, AccountingSchema)
@error_responses(bp, *WRITE_ERRORS)
@require_role(*ISSUANCE_KEEPERS)
def void_by_count(data, round_id: int):
    return issue.set_voided_by_count(get_db(), round_id, data["voided_by_count"], actor_name())


@bp.put("/rounds/<int:round_id>/issued")
@bp.arguments(IssuedSchema)
@bp.response(200, AccountingSchema)
@error_responses(bp, *WRITE_ERRORS)
@require_role(*ISSUANCE_KEEPERS)
def set_issued(data, round_id: int):
    return issue.set_issued(get_db(), round_id, data["issued"], actor_name(), data.get("reason"))


@bp.put("/rounds/<int:round_id>/issued-over-present")
@bp.arguments(OverPresentReasonSchema)
@bp.response(200, IssuedOverPresentSchema)
@error_responses(bp, *WRITE_ERRORS)
@require_role("admin", "chief_scrutineer")
def acknowledge_over_present(data, round_id: int):
    """Acknowledge, with a reason in words, that more ballots were issued than delegates
    are present (I > P); audited, shown on the close page and the count report."""
    return issue.acknowledge_over_present(get_db(), round_id, data["reason"], actor_name())


@bp.put("/rounds/<int:round_id>/returned")
@bp.arguments(ReturnedSchema)
@bp.response(200, AccountingSchema)
@error_responses(bp, *WRITE_ERRORS)
@require_role(*SEALERS)
def set_returned(data, round_id: int):
    return issue.set_returned(get_db(), round_id, data["returned"], actor_name())


@bp.get("/rounds/<int:round_id>/issuance")
@bp.response(200, AccountingSchema)
@error_responses(bp, 401, 404)
@require_role()
def issuance(round_id: int):
    db = get_db()
    load_round(db, round_id)
    return issue.accounting(db, round_id)
