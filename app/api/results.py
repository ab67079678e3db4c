"""Results endpoints (issue 6): the live board and its event stream, closing and sealing
a round, the next round, reports (PDF, CSV) and the export of what was counted.

Reading the board needs no sign-in when the congress allows live counts in the hall;
closing and sealing is the chief scrutineer's (who enters the signatures); the next
round is the secretariat's or the chief scrutineer's; reports and exports are for the
secretariat and the scrutineers.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

from flask import Response, current_app, stream_with_context
from flask_smorest import Blueprint

from schemas.common import ApiErrorSchema
from schemas.results import (
    BoardQuerySchema,
    BoardSchema,
    ClosingSchema,
    NextRoundArgsSchema,
    NextRoundSchema,
    RecordSchema,
    SealSchema,
)

from .. import permissions
from ..auth import actor_name, current_user, require_role
from ..congress.officials import officials_by_duty
from ..congress.queries import congress_row
from ..db import get_db
from ..errors import AppError, Kind
from ..i18n import register
from ..results.closing_view import closing_page
from ..results.export import export_record
from ..results.live import board_snapshot, board_version, default_congress
from ..results.next_round import create_next_round
from ..results.reports import announcement_pdf, congress_report_pdf, count_report_pdf, tally_csv
from ..results.rounds import load_round, round_of_contest
from ..results.sealing import seal
from ..roles import NEXT_ROUND_DECIDERS, RESULT_READERS, SEALERS
from ..store import connect
from .docs import error_responses

bp = Blueprint("results", __name__, url_prefix="/api/results",
               description="Live board, closing and sealing rounds, next rounds, reports, export")

STREAM_POLL_SECONDS = 0.2  # a recorded ballot reaches the board well within a second
STREAM_HEARTBEAT_SECONDS = 10
STREAM_LIFETIME_SECONDS = 120  # then the browser's EventSource reconnects by itself
# Live streams per server process (each holds a thread; gunicorn runs 16 per worker).
# Beyond this a board still gets a snapshot and polls every few seconds instead.
DEFAULT_MAX_STREAMS = 6
BUSY_RETRY_MS = 3000


class _StreamSlots:
    """How many live streams this process is serving, so they never take every thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.open = 0

    def take(self, limit: int) -> bool:
        with self._lock:
            if self.open >= limit:
                return False
            self.open += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.open -= 1


_STREAMS = _StreamSlots()

register({
    "congress_not_found": {"zh-CN": "找不到该大会，请刷新页面或重新选择大会。",
                           "en": "That congress does not exist; reload the page or choose another congress."},
    "no_congress": {"zh-CN": "还没有建立大会。", "en": "No congress has been set up yet."},
})


def _is_official() -> bool:
    user = current_user()
    return permissions.reads_results(user)


def _congress_id(args: dict) -> int:
    db = get_db()
    congress_id = args.get("congress_id") or default_congress(db)
    if congress_id is None:
        raise AppError(Kind.NOT_FOUND, "no_congress")
    if congress_row(db, congress_id) is None:
        raise AppError(Kind.NOT_FOUND, "congress_not_found", congress_id=congress_id)
    return congress_id


@bp.get("/board")
@bp.arguments(BoardQuerySchema, location="query")
@bp.response(200, BoardSchema)
@bp.alt_response(404, schema=ApiErrorSchema)
def board(args):
    """The board: every contest and round; vote counts hidden from the hall until the
    round is sealed unless the congress allows live counts (officials always see them)."""
    return board_snapshot(get_db(), _congress_id(args), official=_is_official())


@bp.get("/board/stream")
@bp.arguments(BoardQuerySchema, location="query")
@bp.response(200, description="text/event-stream of board snapshots", content_type="text/event-stream")
@bp.alt_response(404, schema=ApiErrorSchema)
def board_stream(args):
    """Server-sent events: a `board` event with a new snapshot whenever the tally version
    (or any round's state, I, R, conflicts) changes; a heartbeat comment meanwhile."""
    congress_id = _congress_id(args)
    official = _is_official()
    path = current_app.config["DATABASE"]
    limit = current_app.config.get("BOARD_MAX_STREAMS", DEFAULT_MAX_STREAMS)

    def events() -> Iterator[str]:
        db = connect(path)  # the stream outlives the request's own handle
        worker_running = _worker_watch()
        held = _STREAMS.take(limit)
        try:
            if not held:
                # Every stream slot of this process is taken (say, delegates' phones): one
                # snapshot, and the browser asks again in a few seconds. Threads stay free
                # for the tellers' tablets.
                snapshot = board_snapshot(db, congress_id, official=official)
                yield f"retry: {BUSY_RETRY_MS}\n\n"
                yield f"event: board\ndata: {json.dumps(snapshot, ensure_ascii=False)}\n\n"
                return
            yield "retry: 1000\n\n"
            last, beat = None, time.monotonic()
            end = beat + STREAM_LIFETIME_SECONDS
            while time.monotonic() < end and worker_running():
                version = board_version(db, congress_id)
                if version != last:
                    snapshot = board_snapshot(db, congress_id, official=official)
                    last = version
                    beat = time.monotonic()
                    yield f"event: board\ndata: {json.dumps(snapshot, ensure_ascii=False)}\n\n"
                elif time.monotonic() - beat > STREAM_HEARTBEAT_SECONDS:
                    beat = time.monotonic()
                    yield ": heartbeat\n\n"
                time.sleep(STREAM_POLL_SECONDS)
        finally:
            if held:
                _STREAMS.give_back()
            db.close()

    return Response(stream_with_context(events()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _worker_watch() -> Callable[[], bool]:
    """Whether this server process should go on streaming. A stream must end promptly
    when the worker is told to stop (a graceful restart would otherwise wait for it for
    the whole grace period) or when its master died (kill -9: an orphan must not keep
    the hall's board connected to a dead server). gunicorn's worker is the owner of the
    SIGTERM handler in its process; its `alive` flag turns False on shutdown."""
    parent = os.getppid()
    handler = signal.getsignal(signal.SIGTERM)
    worker = getattr(handler, "__self__", None)
    return lambda: os.getppid() == parent and getattr(worker, "alive", True)


def _officials(round_id: int) -> list[dict]:
    db = get_db()
    return officials_by_duty(db, load_round(db, round_id).contest_id)


@bp.get("/rounds/<int:round_id>/closing")
@bp.response(200, ClosingSchema)
@error_responses(bp, 401, 403, 404, 409)
@require_role(*RESULT_READERS)
def closing_view(round_id: int):
    """The outcome as it would be sealed now (computed by the rules), what still blocks
    sealing, the digest of the counted ballots, and who may sign; for a sealed round, the
    sealed result, who signed, and what follows (`next_step`, null when decided)."""
    return {**closing_page(get_db(), round_id), "officials": _officials(round_id)}


@bp.post("/rounds/<int:round_id>/seal")
@bp.arguments(SealSchema)
@bp.response(200, ClosingSchema)
@error_responses(bp, 400, 401, 403, 404, 409)
@require_role(*SEALERS)
def seal_round(data, round_id: int):
    """Record the signatures and seal the round; refused (409) unless counting is complete
    (recorded = R, no open conflicts) or already sealed."""
    return seal(get_db(), round_id, data["signatures"], actor_name(),
                data.get("issued_over_present_reason"))


@bp.post("/rounds/<int:round_id>/next")
@bp.arguments(NextRoundArgsSchema)
@bp.response(200, NextRoundSchema)
@error_responses(bp, 400, 401, 403, 404, 409)
@require_role(*NEXT_ROUND_DECIDERS)
def next_round(data, round_id: int):
    """What follows a sealed round: a re-vote (R5), another election, reduced seats or
    vacant seats (R6, per the contest's setting), or a new round after R1/R2."""
    return create_next_round(get_db(), round_id, actor_name(), data.get("motion"))


def _file(body: bytes | str, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"inline; filename={name}"})


@bp.get("/rounds/<int:round_id>/report.pdf")
@bp.response(200, description="计票结果报告单 (PDF)", content_type="application/pdf")
@error_responses(bp, 409, 401, 403, 404)
@require_role(*RESULT_READERS)
def count_report(round_id: int):
    return _file(count_report_pdf(get_db(), round_id), "application/pdf", f"count-report-{round_id}.pdf")


@bp.get("/rounds/<int:round_id>/announcement.pdf")
@bp.response(200, description="当选名单 (PDF)", content_type="application/pdf")
@error_responses(bp, 409, 401, 403, 404)
@require_role(*RESULT_READERS)
def announcement(round_id: int):
    return _file(announcement_pdf(get_db(), round_id), "application/pdf", f"elected-{round_id}.pdf")


@bp.get("/rounds/<int:round_id>/tally.csv")
@bp.response(200, description="the tally (CSV)", content_type="text/csv")
@error_responses(bp, 409, 401, 403, 404)
@require_role(*RESULT_READERS)
def tally(round_id: int):
    return _file(tally_csv(get_db(), round_id), "text/csv", f"tally-{round_id}.csv")


@bp.get("/congresses/<int:congress_id>/report.pdf")
@bp.response(200, description="combined report for the higher union (PDF)",
             content_type="application/pdf")
@error_responses(bp, 404, 401, 403)
@require_role(*RESULT_READERS)
def congress_report(congress_id: int):
    return _file(congress_report_pdf(get_db(), congress_id), "application/pdf",
                 f"congress-report-{congress_id}.pdf")


@bp.get("/rounds/<int:round_id>/export")
@bp.response(200, RecordSchema)
@error_responses(bp, 409, 401, 403, 404)
@require_role(*RESULT_READERS)
def export_round(round_id: int):
    """A union-ballot-record/1 of exactly the ballots counted in the round."""
    return export_record(get_db(), round_id)


@bp.get("/contests/<int:contest_id>/rounds/<int:number>/export")
@bp.response(200, RecordSchema)
@error_responses(bp, 404, 409, 401, 403)
@require_role(*RESULT_READERS)
def export_contest_round(contest_id: int, number: int):
    """The same as `flask --app app export CONTEST_ID --round K`."""
    db = get_db()
    return export_record(db, round_of_contest(db, contest_id, number))
