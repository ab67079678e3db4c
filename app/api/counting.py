"""Counting on tablets (issue 5): record a confirmed ballot, preview its verdict, and the
scrutineers' progress, conflicts, doubtful ballots, decisions and look-up by code.

    POST /api/rounds/<round_id>/ballots            record one ballot (added|duplicate|conflict)
    POST /api/rounds/<round_id>/ballots/preview    judge a reading (R3) without recording it
    POST /api/rounds/<round_id>/ballots/<serial>/flag   a teller flags a ballot for the scrutineers
    GET  /api/rounds/<round_id>/flags              the flags, for the scrutineers
    GET  /api/rounds/<round_id>/progress           recorded vs R, per teller
    GET  /api/rounds/<round_id>/conflicts          ballots whose readings disagree
    GET  /api/rounds/<round_id>/doubtful           invalid ballots and unreadable marks
    POST /api/rounds/<round_id>/ballots/<serial>/resolve   a scrutineer's decision
    GET  /api/ballots/<code>                       any printed ballot by its code
    GET  /api/counting/rounds                      rounds open for counting, with their slate
    POST /api/rounds/<round_id>/ballots/<serial>/photo?client_id=…   the photo a ballot was read from
    GET  /api/ballot-photos/<photo_id>             a kept photo, for the scrutineers
"""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint

from schemas.counting import (
    BallotListSchema,
    BallotPreviewSchema,
    BallotSubmitSchema,
    BallotViewSchema,
    CountingRoundListSchema,
    FlagInSchema,
    FlagListSchema,
    FlagSchema,
    PhotoAddedSchema,
    PhotoFormSchema,
    PhotoUploadSchema,
    PreviewSchema,
    ProgressSchema,
    RecordedSchema,
    ResolveSchema,
)

from ..auth import actor_name, current_user, require_role
from ..counting import Source, Teller, conflicts, doubtful, lookup, preview_reading, progress, record, resolve
from ..counting.context import counting_rounds
from ..counting.flags import flag_ballot, round_flags
from ..counting.photos import MAX_PHOTO_BYTES, add_photo, get_photo
from ..counting.record import verdict_dict
from ..db import get_db
from ..errors import AppError, Kind
from ..permissions import check_may_count
from ..roles import COUNTERS, SCRUTINEERS, WATCHERS
from ..store.batch import group_commit
from .docs import error_responses

bp = Blueprint("counting", __name__, url_prefix="/api", description="Counting ballots on tablets")



def _teller() -> Teller:
    user = current_user()
    return Teller(user.id if user else None, actor_name())


def _source(data: dict) -> Source | None:
    given = [key for key in ("serial", "payload", "code") if data.get(key)]
    if len(given) > 1:
        raise AppError(Kind.INVALID, "source_required", "counting_source_required")
    if not given:
        return None
    return Source(**{given[0]: data[given[0]]})


def _not_a_candidate(round_id: int) -> None:
    """R12 and the appointment, decided in app/permissions.py."""
    check_may_count(get_db(), current_user(), round_id)



@bp.post("/rounds/<int:round_id>/ballots")
@bp.arguments(BallotSubmitSchema)
@bp.response(200, RecordedSchema)
@error_responses(bp, 401, 403, 404, 409, 422)
@require_role(*COUNTERS)
def submit_ballot(data, round_id):
    """Record a ballot the teller confirmed; answered only after the durable commit."""
    _not_a_candidate(round_id)
    source = _source(data)
    if source is None:
        raise AppError(Kind.INVALID, "source_required", "counting_source_required")
    teller, key = _teller(), current_app.config["BALLOT_KEY"]
    # Recorded in the next group commit (app/store/batch.py): answered once durable.
    done = group_commit(current_app.config["DATABASE"]).run(lambda db: record(
        db, round_id, source, data["marks"], data["write_ins"], data["invalid"],
        data["invalid_reason"], teller, ballot_key=key, client_id=data["client_id"]))
    return {"status": done.status, "serial": done.serial, "verdict": verdict_dict(done.verdict),
            "my_count": done.my_count}


@bp.post("/rounds/<int:round_id>/ballots/preview")
@bp.arguments(BallotPreviewSchema)
@bp.response(200, PreviewSchema)
@error_responses(bp, 401, 403, 404, 409, 422)
@require_role(*COUNTERS)
def preview_ballot(data, round_id):
    """Judge a reading (R3) without recording anything; with a serial, check it too and
    say whether it is already recorded, with this reading or another."""
    seen = preview_reading(get_db(), round_id, data["marks"], data["write_ins"], data["invalid"],
                           data["invalid_reason"], ballot_key=current_app.config["BALLOT_KEY"],
                           serial=_source(data))
    return {"serial": seen.serial, "state": seen.state, "same_reading": seen.same_reading,
            "verdict": verdict_dict(seen.verdict)}


@bp.post("/rounds/<int:round_id>/ballots/<string:serial>/flag")
@bp.arguments(FlagInSchema)
@bp.response(200, FlagSchema)
@error_responses(bp, 401, 403, 404, 409, 422)
@require_role(*COUNTERS)
def flag(data, round_id, serial):
    """A teller flags a ballot they counted for the scrutineers (the reading stays as is)."""
    return flag_ballot(get_db(), round_id, serial, data["note"], _teller())


@bp.get("/rounds/<int:round_id>/flags")
@bp.response(200, FlagListSchema)
@error_responses(bp, 401, 403, 404)
@require_role(*SCRUTINEERS)
def flags(round_id):
    """Ballots tellers flagged as possibly confirmed wrong, newest first."""
    return {"flags": round_flags(get_db(), round_id)}


@bp.get("/rounds/<int:round_id>/progress")
@bp.response(200, ProgressSchema)
@error_responses(bp, 401, 403, 404)
@require_role(*WATCHERS)
def round_progress(round_id):
    return progress(get_db(), round_id)


@bp.get("/rounds/<int:round_id>/conflicts")
@bp.response(200, BallotListSchema)
@error_responses(bp, 401, 403, 404)
@require_role(*SCRUTINEERS)
def round_conflicts(round_id):
    return {"ballots": conflicts(get_db(), round_id)}


@bp.get("/rounds/<int:round_id>/doubtful")
@bp.response(200, BallotListSchema)
@error_responses(bp, 401, 403, 404)
@require_role(*SCRUTINEERS)
def round_doubtful(round_id):
    return {"ballots": doubtful(get_db(), round_id)}


@bp.post("/rounds/<int:round_id>/ballots/<string:serial>/resolve")
@bp.arguments(ResolveSchema)
@bp.response(200, BallotViewSchema)
@error_responses(bp, 401, 403, 404, 409, 422)
@require_role(*SCRUTINEERS)
def resolve_ballot(data, round_id, serial):
    """A scrutineer decides a ballot: one submitted version, or the correct reading."""
    _not_a_candidate(round_id)
    if data.get("submission_id") is not None and (data["marks"] or data["write_ins"] or data["invalid"]):
        raise AppError(Kind.INVALID, "decision_needs_one", "counting_decision_needs_one")
    return resolve(get_db(), round_id, serial, reason=data["reason"], actor=_teller(),
                   submission_id=data.get("submission_id"), marks=data["marks"],
                   write_ins=data["write_ins"], invalid=data["invalid"],
                   invalid_reason=data["invalid_reason"])


@bp.get("/ballots/<string:code>")
@bp.response(200, BallotViewSchema)
@error_responses(bp, 401, 403, 404)
@require_role(*SCRUTINEERS)
def ballot_by_code(code):
    return lookup(get_db(), code)


@bp.get("/counting/rounds")
@bp.response(200, CountingRoundListSchema)
@error_responses(bp, 401, 403)
@require_role(*WATCHERS)
def rounds_for_counting():
    return {"rounds": counting_rounds(get_db())}


@bp.post("/rounds/<int:round_id>/ballots/<string:serial>/photo")
@bp.arguments(PhotoFormSchema, location="query")
@bp.arguments(PhotoUploadSchema, location="files")
@bp.response(200, PhotoAddedSchema)
@error_responses(bp, 401, 403, 404, 409, 413, 415, 422)
@require_role(*COUNTERS)
def upload_photo(query, files, round_id, serial):
    """Keep the photo a recorded ballot was read from, for the scrutineers."""
    data = files["photo"].read(MAX_PHOTO_BYTES + 1)
    return {"photo_id": add_photo(get_db(), round_id, serial, query["client_id"], data, _teller())}


@bp.get("/ballot-photos/<int:photo_id>")
@bp.response(200, content_type="image/jpeg", description="the photo as the tablet sent it")
@error_responses(bp, 401, 403, 404)
@require_role(*SCRUTINEERS)
def ballot_photo(photo_id):
    data, content_type = get_photo(get_db(), photo_id)
    return Response(data, mimetype=content_type, headers={"Cache-Control": "private, max-age=3600"})
