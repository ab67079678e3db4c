"""Recording one ballot a teller confirmed: `added`, `duplicate` or `conflict`.

The serial is the idempotency key (one `ballot` row per serial); every version submitted
is kept in `ballot_submission`. The verdict (R3) comes from app.rules.BallotJudge. The
ballot, its submission, the live tally and the audit entry commit together, durably, in
one write transaction, before the tablet gets its answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import current_locale
from ..rules import Verdict
from ..rules.ballot import REASON_TEXT
from ..store import audit, row_id, write_transaction
from ..store.clock import now
from .choices import Choices, check_choices, stored_choices
from .context import load_context
from .identify import identify
from .messages import REASON_TEXT_EN
from .tally import change_tally

ADDED, DUPLICATE, CONFLICT, DECIDED = "added", "duplicate", "conflict", "decided"


@dataclass(frozen=True)
class Teller:
    """Who submits: the user's id (a teller is an official, never a voter) and how the
    audit log names them."""

    user_id: int | None
    actor: str


@dataclass(frozen=True)
class Source:
    """How the tablet named the ballot: one of a serial (from the photo reader), the raw
    QR text (handheld scanner) or the short code typed by hand."""

    serial: str | None = None
    payload: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Recorded:
    status: str
    serial: str
    verdict: Verdict
    my_count: int


@dataclass(frozen=True)
class Preview:
    serial: str | None
    verdict: Verdict
    state: str  # new, recorded or conflict
    same_reading: bool | None  # for a recorded ballot: is this reading the recorded one?


def verdict_dict(verdict: Verdict) -> dict[str, Any]:
    """The verdict as the teller sees it: 无效票 and why, in the user's language."""
    texts = REASON_TEXT if current_locale() == "zh-CN" else REASON_TEXT_EN
    return {"valid": verdict.valid, "reason": verdict.reason,
            "reason_text": texts.get(verdict.reason or "", "") if verdict.reason else "",
            "approvals": verdict.approvals}


def _serial(db: Database, ballot_key: str, round_id: int, serial: str | Source) -> str:
    source = serial if isinstance(serial, Source) else Source(serial=serial)
    if source.payload:
        return identify(db, ballot_key, round_id, payload=source.payload)
    return identify(db, ballot_key, round_id, code=source.serial or source.code)


def my_count(db: Database, round_id: int, user_id: int | None) -> int:
    """How many ballots of this round this teller recorded first (each serial once)."""
    row = db.execute("SELECT ballots FROM teller_count WHERE round_id = ? AND user_key = ?",
                     [round_id, user_id or 0]).fetchone()
    return row[0] if row else 0


def _count_for_teller(db: Database, round_id: int, user_id: int | None) -> None:
    """+1 to the running count of the teller who recorded a ballot first (issue 12: a
    rescan, a duplicate or a conflict is not one more ballot counted)."""
    db.execute("INSERT INTO teller_count (round_id, user_key, ballots) VALUES (?, ?, 1)"
               " ON CONFLICT (round_id, user_key) DO UPDATE SET ballots = ballots + 1",
               [round_id, user_id or 0])


def preview(db: Database, round_id: int, marks: Mapping[str, Any] | None,
            write_ins: Iterable[Mapping[str, Any]] | None, invalid: bool, invalid_reason: str | None,
            *, ballot_key: str, serial: str | Source | None = None) -> tuple[str | None, Verdict, str]:
    """Judge a reading without recording it: (serial, verdict, state); see preview_reading."""
    seen = preview_reading(db, round_id, marks, write_ins, invalid, invalid_reason,
                           ballot_key=ballot_key, serial=serial)
    return seen.serial, seen.verdict, seen.state


def preview_reading(db: Database, round_id: int, marks: Mapping[str, Any] | None,
                    write_ins: Iterable[Mapping[str, Any]] | None, invalid: bool,
                    invalid_reason: str | None, *, ballot_key: str,
                    serial: str | Source | None = None) -> Preview:
    """Judge a reading without recording it (the teller sees 无效票 before confirming).
    With a serial, also refuse one that could not be recorded, and say whether it
    already is (`new`, `recorded` or `conflict`) and, if recorded, whether with this very
    reading (confirming it again is a duplicate) or another (it would be a conflict)."""
    ctx = load_context(db, round_id, need_open=True)
    choices = check_choices(ctx, marks, write_ins, invalid, invalid_reason or "preview")
    known, state, same = None, "new", None
    if serial is not None:
        known = _serial(db, ballot_key, round_id, serial)
        row = db.execute("SELECT status, marks_json, write_ins_json, invalid, invalid_reason"
                         " FROM ballot WHERE serial = ?", [known]).fetchone()
        if row is not None:
            state = "recorded" if row["status"] == "counted" else row["status"]
            if state == "recorded":
                same = stored_choices(row).canonical() == choices.canonical()
    return Preview(known, ctx.judge().judge(choices.ballot(known or "preview")), state, same)


def record(db: Database, round_id: int, serial: str | Source, marks: Mapping[str, Any] | None,
           write_ins: Iterable[Mapping[str, Any]] | None, invalid: bool, invalid_reason: str | None,
           teller: Teller, *, ballot_key: str, client_id: str | None = None) -> Recorded:
    """Record one confirmed ballot; see the module's docstring."""
    with write_transaction(db):
        ctx = load_context(db, round_id, need_open=True)
        choices = check_choices(ctx, marks, write_ins, invalid, invalid_reason)
        known = _serial(db, ballot_key, round_id, serial)
        judge = ctx.judge()
        verdict = judge.judge(choices.ballot(known))
        if client_id:
            replay = _replay(db, client_id, round_id, known, choices)
            if replay is not None:  # a resend of a submission already recorded: same answer
                return Recorded(replay, known, verdict, my_count(db, round_id, teller.user_id))
        row = db.execute("SELECT status, marks_json, write_ins_json, invalid, invalid_reason"
                         " FROM ballot WHERE serial = ?", [known]).fetchone()
        if row is None:
            status = ADDED
            db.execute("INSERT INTO ballot (serial, round_id, status, marks_json, write_ins_json,"
                       " invalid, invalid_reason, recorded_at, recorded_by)"
                       " VALUES (?, ?, 'counted', ?, ?, ?, ?, ?, ?)",
                       [known, round_id, choices.marks_json(), choices.write_ins_json(),
                        int(choices.invalid), choices.invalid_reason, now(), teller.user_id])
            change_tally(db, round_id, add=verdict)
            _count_for_teller(db, round_id, teller.user_id)
        elif row["status"] == "counted" and stored_choices(row).canonical() == choices.canonical():
            status = DUPLICATE
        elif row["status"] == "counted":
            status = CONFLICT  # the counted version leaves the tally until a scrutineer decides
            db.execute("UPDATE ballot SET status = 'conflict' WHERE serial = ?", [known])
            change_tally(db, round_id, remove=judge.judge(stored_choices(row).ballot(known)))
        else:
            status = CONFLICT  # already waiting for a scrutineer; one more version to weigh
            change_tally(db, round_id)
        insert_submission(db, known, round_id, choices, teller.user_id, status, client_id)
        audit.append(db, teller.actor, "ballot.record", f"round:{round_id}",
                     {"serial": known, "outcome": status, "valid": verdict.valid})
        return Recorded(status, known, verdict, my_count(db, round_id, teller.user_id))


def _replay(db: Database, client_id: str, round_id: int, serial: str, choices: Choices) -> str | None:
    """The outcome of an earlier submission with this client id, if it is this very one."""
    row = db.execute("SELECT serial, round_id, outcome, marks_json, write_ins_json, invalid,"
                     " invalid_reason FROM ballot_submission WHERE client_id = ?", [client_id]).fetchone()
    if row is None:
        return None
    if row["serial"] != serial or row["round_id"] != round_id or \
            stored_choices(row).canonical() != choices.canonical():
        raise AppError(Kind.CONFLICT, "client_id_reused", "counting_client_id_reused", client_id=client_id)
    return row["outcome"]


def insert_submission(db: Database, serial: str, round_id: int, choices: Choices, user_id: int | None,
                       outcome: str, client_id: str | None = None, reason: str = "") -> int:
    return row_id(db.execute(
        "INSERT INTO ballot_submission (serial, round_id, marks_json, write_ins_json, invalid,"
        " invalid_reason, submitted_by, submitted_at, outcome, client_id, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [serial, round_id, choices.marks_json(), choices.write_ins_json(), int(choices.invalid),
         choices.invalid_reason, user_id, now(), outcome, client_id, reason]).lastrowid)
