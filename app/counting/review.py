"""What the scrutineers see and decide: progress per round and per teller, the conflicts
with every version, the doubtful ballots (invalid or with an unreadable mark), any ballot
looked up by its code, and their decision on a ballot, with a reason, audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from ..ballots.serials import normalize_code
from ..errors import AppError, Kind
from ..store import audit, write_transaction
from .choices import check_choices, stored_choices
from .context import RoundContext, load_context
from .photos import photo_ids
from .record import DECIDED, Teller, insert_submission, verdict_dict
from .tally import change_tally, live_tally


def progress(db: Database, round_id: int) -> dict[str, Any]:
    """Recorded against R, counted, conflicts open, valid and invalid, per teller."""
    ctx = load_context(db, round_id)
    round_row = db.execute("SELECT ballots_issued, ballots_returned FROM round WHERE id = ?",
                           [round_id]).fetchone()
    counts = dict(db.execute("SELECT status, count(*) FROM ballot WHERE round_id = ? GROUP BY status",
                             [round_id]).fetchall())
    printed = db.execute("SELECT count(*) FROM ballot_serial WHERE round_id = ? AND state = 'printed'",
                         [round_id]).fetchone()[0]
    tally, version = live_tally(db, round_id)
    tellers = [dict(row) for row in db.execute(
        "SELECT s.submitted_by AS user_id, coalesce(u.display_name, '') AS name,"
        " coalesce(u.username, '') AS username, count(DISTINCT s.serial) AS ballots,"
        " sum(s.outcome = 'added') AS added, sum(s.outcome = 'duplicate') AS duplicates,"
        " sum(s.outcome = 'conflict') AS conflicts,"
        " (SELECT tc.ballots FROM teller_count tc WHERE tc.round_id = s.round_id"
        "  AND tc.user_key = coalesce(s.submitted_by, 0)) AS first FROM ballot_submission s"
        " LEFT JOIN app_user u ON u.id = s.submitted_by WHERE s.round_id = ? AND s.outcome != 'decided'"
        " GROUP BY s.submitted_by ORDER BY u.username", [round_id])]
    counted, conflict = counts.get("counted", 0), counts.get("conflict", 0)
    return {"round_id": round_id, "contest_id": ctx.contest_id, "title": ctx.contest.title,
            "number": ctx.number, "state": ctx.state, "seats": ctx.contest.seats,
            "ballots_issued": round_row["ballots_issued"], "ballots_returned": round_row["ballots_returned"],
            "printed": printed, "recorded": counted + conflict, "counted": counted,
            "conflicts": conflict, "valid": tally.valid, "invalid": tally.invalid,
            "tally_version": version, "tellers": tellers}


def _versions(db: Database, ctx: RoundContext, serial: str) -> list[dict[str, Any]]:
    """Every distinct reading submitted for a serial, with who submitted it and when."""
    judge = ctx.judge()
    versions: dict[str, dict[str, Any]] = {}
    for row in db.execute(
            "SELECT s.id, s.marks_json, s.write_ins_json, s.invalid, s.invalid_reason, s.outcome,"
            " s.submitted_at, s.reason, coalesce(u.display_name, '') AS name FROM ballot_submission s"
            " LEFT JOIN app_user u ON u.id = s.submitted_by WHERE s.serial = ? ORDER BY s.id", [serial]):
        choices = stored_choices(row)
        entry = versions.setdefault(choices.canonical(), {
            "submission_id": row["id"], **choices.as_dict(),
            "verdict": verdict_dict(judge.judge(choices.ballot(serial))), "submissions": []})
        entry["submissions"].append({"submission_id": row["id"], "by": row["name"],
                                     "at": row["submitted_at"], "outcome": row["outcome"],
                                     "reason": row["reason"]})
    return list(versions.values())


def _ballot_view(db: Database, ctx: RoundContext, row: Mapping[str, Any]) -> dict[str, Any]:
    choices = stored_choices(row)
    verdict = ctx.judge().judge(choices.ballot(row["serial"]))
    return {"serial": row["serial"], "round_id": ctx.round_id, "status": row["status"],
            "current": {**choices.as_dict(), "verdict": verdict_dict(verdict)},
            "versions": _versions(db, ctx, row["serial"]), "photos": photo_ids(db, row["serial"])}


def conflicts(db: Database, round_id: int) -> list[dict[str, Any]]:
    """Ballots waiting for a scrutineer: two readings disagree; none of them counts yet."""
    ctx = load_context(db, round_id)
    rows = db.execute("SELECT * FROM ballot WHERE round_id = ? AND status = 'conflict' ORDER BY serial",
                      [round_id]).fetchall()
    return [_ballot_view(db, ctx, row) for row in rows]


def doubtful(db: Database, round_id: int) -> list[dict[str, Any]]:
    """Counted ballots a scrutineer should look at: invalid ones (R3: declared invalid,
    over-voted, or void for an unreadable mark) and any with an unreadable mark."""
    ctx = load_context(db, round_id)
    judge = ctx.judge()
    found = []
    for row in db.execute("SELECT * FROM ballot WHERE round_id = ? AND status = 'counted' ORDER BY serial",
                          [round_id]):
        choices = stored_choices(row)
        if "unreadable" in choices.marks.values() or not judge.judge(choices.ballot(row["serial"])).valid:
            found.append(_ballot_view(db, ctx, row))
    return found


def lookup(db: Database, code: str) -> dict[str, Any]:
    """Any printed ballot by its code (as typed) or serial: its state and every version."""
    serial = normalize_code(code) or code.strip()
    row = db.execute("SELECT serial, round_id, state FROM ballot_serial WHERE serial = ? OR code = ?",
                     [serial, serial]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "ballot_unknown", "counting_ballot_unknown", typed=code)
    ctx = load_context(db, row["round_id"])
    ballot = db.execute("SELECT * FROM ballot WHERE serial = ?", [row["serial"]]).fetchone()
    base = {"contest_id": ctx.contest_id, "title": ctx.contest.title, "number": ctx.number,
            "round_state": ctx.state, "serial_state": row["state"]}
    if ballot is None:
        return {**base, "serial": row["serial"], "round_id": ctx.round_id, "status": "not_recorded",
                "current": None, "versions": [], "photos": []}
    return {**base, **_ballot_view(db, ctx, ballot)}


def resolve(db: Database, round_id: int, serial: str, *, reason: str, actor: Teller,
            submission_id: int | None = None, marks: Mapping[str, Any] | None = None,
            write_ins: Iterable[Mapping[str, Any]] | None = None, invalid: bool = False,
            invalid_reason: str | None = None) -> dict[str, Any]:
    """A scrutineer's decision on a recorded ballot: one submitted version, or the correct
    reading entered by hand. The ballot counts again (status `counted`) with that version;
    the tally follows in the same transaction; the reason is audited."""
    reason = (reason or "").strip()
    if not reason:
        raise AppError(Kind.INVALID, "reason_required", "counting_reason_required")
    with write_transaction(db):
        ctx = load_context(db, round_id, need_open=True)
        row = db.execute("SELECT * FROM ballot WHERE serial = ? AND round_id = ?",
                         [serial, round_id]).fetchone()
        if row is None:
            raise AppError(Kind.NOT_FOUND, "ballot_not_recorded", "counting_ballot_not_recorded",
                           serial=serial)
        if submission_id is not None:
            chosen_row = db.execute("SELECT * FROM ballot_submission WHERE id = ? AND serial = ?",
                                    [submission_id, serial]).fetchone()
            if chosen_row is None:
                raise AppError(Kind.NOT_FOUND, "submission_not_found", "counting_submission_not_found",
                               serial=serial, submission_id=submission_id)
            chosen = stored_choices(chosen_row)
        else:
            chosen = check_choices(ctx, marks, write_ins, invalid, invalid_reason)
        judge = ctx.judge()
        old = judge.judge(stored_choices(row).ballot(serial)) if row["status"] == "counted" else None
        new = judge.judge(chosen.ballot(serial))
        db.execute("UPDATE ballot SET status = 'counted', marks_json = ?, write_ins_json = ?, invalid = ?,"
                   " invalid_reason = ? WHERE serial = ?",
                   [chosen.marks_json(), chosen.write_ins_json(), int(chosen.invalid),
                    chosen.invalid_reason, serial])
        change_tally(db, round_id, add=new, remove=old)
        decided = insert_submission(db, serial, round_id, chosen, actor.user_id, DECIDED, reason=reason)
        audit.append(db, actor.actor, "ballot.decide", f"round:{round_id}",
                     {"serial": serial, "was": row["status"], "submission_id": submission_id,
                      "decision_id": decided, "reason": reason, "valid": new.valid})
        view = _ballot_view(db, ctx, db.execute("SELECT * FROM ballot WHERE serial = ?", [serial]).fetchone())
    return view
