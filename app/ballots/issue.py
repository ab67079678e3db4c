"""Issuing ballots for a round: serials, spare ballots voided, and the issuance accounting.

- Serials are random (app/ballots/serials.py) and are stored per print batch sorted by
  serial, all with the batch's one timestamp, so neither the row order nor the time can be
  matched to the order in which the sheets are handed out (R10). Nothing names a person.
- Spare ballots are voided by scanning or typing their code (that serial is refused from
  then on), or by count (an accounting figure only: the sheets should be destroyed).
- I (发出选票) is printed − voided unless the secretariat enters it; R (收回选票) is entered
  by the chief scrutineer; R2 (app.rules.rounds.round_valid) is shown from both.
  Both are kept in round.ballots_issued / round.ballots_returned.
- check_ballot() is how counting and photo reading accept a ballot: it returns the serial
  or refuses with a specific code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..rules.rounds import round_valid
from ..security.secrecy import check_batch_size
from ..store import audit, write_transaction
from ..store.clock import coarse_time, now
from ..store.states import OPEN, SEALED
from . import plausibility
from .plausibility import acknowledgement, require_plausible
from .round_layout import load_round
from .serials import PayloadError, new_serial, normalize_code, parse_and_verify

MAX_PER_BATCH = 5000
MAX_ACCOUNTING = 1_000_000  # a sanity bound for numbers typed by people

register({
    "ballots.round_not_open": {
        "zh-CN": "“{contest}”第 {number} 轮尚未开始投票：只有进行中的轮次才能印制、发放或作废选票。",
        "en": "Round {number} of “{contest}” is not open yet: ballots are printed, issued and voided "
              "only in an open round."},
    "ballots.round_sealed": {
        "zh-CN": "“{contest}”第 {number} 轮已封存，选票的印制、作废和发放统计都不能再更改。",
        "en": "Round {number} of “{contest}” is sealed: its ballots and issuance figures can no "
              "longer change."},
    "ballots.bad_count": {"zh-CN": "张数必须在 {low} 至 {high} 之间（收到 {count}）。",
                          "en": "The number must be from {low} to {high} (got {count})."},
    "ballots.not_ours": {"zh-CN": "不是本系统的选票二维码或编号。",
                         "en": "Not a ballot QR code or code of this system."},
    "ballots.bad_tag": {"zh-CN": "选票二维码校验失败：该选票是伪造的或被改动过。",
                        "en": "The ballot's QR code fails its check: forged or altered."},
    "ballots.other_contest": {"zh-CN": "该选票属于另一个选举事项（{contest}），不属于本事项。",
                              "en": "This ballot belongs to another contest ({contest})."},
    "ballots.other_round": {"zh-CN": "该选票属于本事项的另一轮投票（第 {number} 轮）。",
                            "en": "This ballot belongs to another round (round {number}) of the contest."},
    "ballots.never_printed": {"zh-CN": "编号 {serial} 的选票从未印制，不予受理。",
                              "en": "Ballot {serial} was never printed; refused."},
    "ballots.voided": {"zh-CN": "编号 {serial} 的选票已作废，不予受理。",
                       "en": "Ballot {serial} was voided; refused."},
    "ballots.no_ballot_key": {"zh-CN": "请扫描选票二维码或输入选票编号（二者选一）。",
                              "en": "Scan the ballot's QR code or type its code (one of the two)."},
    "ballots.already_counted": {"zh-CN": "编号 {serial} 的选票已计票，不能作为空白票作废。",
                                "en": "Ballot {serial} has been counted; it cannot be voided as a spare."},
    "ballots.too_many_voided": {
        "zh-CN": "作废张数（{voided}）不能多于已印制的张数（{printed}）。",
        "en": "Voided ballots ({voided}) cannot exceed those printed ({printed})."},
})


@dataclass(frozen=True)
class IssuedBatch:
    round_id: int
    batch: int
    serials: list[str]  # in print order; the database keeps them sorted instead


def _count_error(count: int, low: int, high: int) -> AppError:
    return AppError(Kind.INVALID, "bad_count", "ballots.bad_count", count=count, low=low, high=high)


def _contest_title(db: Database, contest_id: int) -> str:
    """A contest as people know it: its title (never its database number)."""
    row = db.execute("SELECT title FROM contest WHERE id = ?", [contest_id]).fetchone()
    return row[0] if row else "—"


def _round_words(db: Database, round_id: int) -> dict[str, object]:
    """A round as people know it: its contest's title and its number within the contest."""
    row = db.execute("SELECT c.title, r.number FROM round r JOIN contest c ON c.id = r.contest_id"
                     " WHERE r.id = ?", [round_id]).fetchone()
    return {"contest": row[0], "number": row[1]} if row else {"contest": "—", "number": "—"}


def open_round_row(db: Database, round_id: int):
    """The round, refusing one that is not open (ballots exist only for open rounds)."""
    row = load_round(db, round_id)
    if row.state == SEALED:
        raise AppError(Kind.CONFLICT, "round_sealed", "ballots.round_sealed",
                       **_round_words(db, round_id))
    if row.state != OPEN:
        raise AppError(Kind.CONFLICT, "round_not_open", "ballots.round_not_open",
                       **_round_words(db, round_id))
    return row


def fresh_serials(db: Database, count: int) -> list[str]:
    """`count` new random serials, none already in the database and no two alike."""
    if not 1 <= count <= MAX_PER_BATCH:
        raise _count_error(count, 1, MAX_PER_BATCH)
    chosen: set[str] = set()
    serials: list[str] = []
    while len(serials) < count:
        serial = new_serial()
        if serial in chosen or db.execute("SELECT 1 FROM ballot_serial WHERE serial = ?",
                                          [serial]).fetchone():
            continue
        chosen.add(serial)
        serials.append(serial)
    return serials


def record_batch(db: Database, round_id: int, serials: Sequence[str], layout_sha256: str,
                 actor: str) -> int:
    """Store a printed batch in one transaction: its serials, sorted, with one timestamp.
    Call inside the caller's write transaction to tie it to other work (the PDF file)."""
    with write_transaction(db):
        open_round_row(db, round_id)
        check_batch_size(db, round_id, len(serials))  # R10: no one-sheet batch after check-in
        batch = db.execute("SELECT coalesce(max(batch), 0) + 1 FROM ballot_batch WHERE round_id = ?",
                           [round_id]).fetchone()[0]
        at = coarse_time(now())
        db.conn.executemany(
            "INSERT INTO ballot_serial (serial, round_id, code, state, batch, created_at)"
            " VALUES (?, ?, ?, 'printed', ?, ?)",
            [(serial, round_id, serial, batch, at) for serial in sorted(serials)])
        db.execute("INSERT INTO ballot_batch (round_id, batch, printed, layout_sha256, created_at)"
                   " VALUES (?, ?, ?, ?, ?)", [round_id, batch, len(serials), layout_sha256, at])
        _sync_issued(db, round_id)
        audit.append(db, actor, "ballots.print", f"round:{round_id}",
                     {"batch": batch, "printed": len(serials), "layout_sha256": layout_sha256})
    return batch


def issue_serials(db: Database, round_id: int, count: int, actor: str,
                  layout_sha256: str = "") -> IssuedBatch:
    """Issue `count` new serials for an open round (printing is app/ballots/printing.py)."""
    open_round_row(db, round_id)
    check_batch_size(db, round_id, count)
    serials = fresh_serials(db, count)
    batch = record_batch(db, round_id, serials, layout_sha256, actor)
    return IssuedBatch(round_id, batch, serials)


# --- accepting a ballot -----------------------------------------------------------------

def check_ballot(db: Database, key: str, *, payload_text: str | None = None,
                 typed_code: str | None = None, round_id: int) -> str:
    """The serial of a ballot presented for `round_id`, from its scanned QR text or its
    typed code; or an AppError naming why it is refused: not_ours, bad_tag (forged or
    altered), other_contest, other_round, never_printed, voided."""
    if (payload_text is None) == (typed_code is None):
        raise AppError(Kind.BAD_REQUEST, "no_ballot_key", "ballots.no_ballot_key")
    expected = load_round(db, round_id)
    if payload_text is not None:
        try:
            payload = parse_and_verify(key, payload_text)
        except PayloadError as error:
            raise AppError(Kind.INVALID, error.code, f"ballots.{error.code}") from None
        if payload.contest_id != expected.contest_id:
            raise AppError(Kind.CONFLICT, "other_contest", "ballots.other_contest",
                           contest=_contest_title(db, payload.contest_id))
        if payload.round_id != round_id:
            raise AppError(Kind.CONFLICT, "other_round", "ballots.other_round",
                           number=_round_words(db, payload.round_id)["number"])
        serial = payload.serial
    else:
        typed = normalize_code(typed_code or "")
        if typed is None:
            raise AppError(Kind.INVALID, "not_ours", "ballots.not_ours")
        serial = typed
    row = db.execute("SELECT s.round_id, s.state, r.contest_id FROM ballot_serial s"
                     " JOIN round r ON r.id = s.round_id WHERE s.serial = ?", [serial]).fetchone()
    if row is None:
        raise AppError(Kind.CONFLICT, "never_printed", "ballots.never_printed", serial=serial)
    if row["contest_id"] != expected.contest_id:
        raise AppError(Kind.CONFLICT, "other_contest", "ballots.other_contest",
                       contest=_contest_title(db, row["contest_id"]))
    if row["round_id"] != round_id:
        raise AppError(Kind.CONFLICT, "other_round", "ballots.other_round",
                       number=_round_words(db, row["round_id"])["number"])
    if row["state"] == "voided":
        raise AppError(Kind.CONFLICT, "voided", "ballots.voided", serial=serial)
    return serial


# --- spare ballots ----------------------------------------------------------------------

def void_spare(db: Database, key: str, round_id: int, *, payload_text: str | None = None,
               typed_code: str | None = None, actor: str) -> str:
    """Void one spare ballot by its scanned QR or typed code; it is refused from then on."""
    with write_transaction(db):
        open_round_row(db, round_id)
        serial = check_ballot(db, key, payload_text=payload_text, typed_code=typed_code,
                              round_id=round_id)
        if db.execute("SELECT 1 FROM ballot WHERE serial = ?", [serial]).fetchone():
            raise AppError(Kind.CONFLICT, "already_counted", "ballots.already_counted", serial=serial)
        db.execute("UPDATE ballot_serial SET state = 'voided' WHERE serial = ?", [serial])
        _check_voided_total(db, round_id)
        _sync_issued(db, round_id)
        audit.append(db, actor, "ballots.void", f"round:{round_id}", {"serial": serial})
    return serial


def set_voided_by_count(db: Database, round_id: int, total: int, actor: str) -> dict[str, Any]:
    """Set how many spare ballots were voided by count, without scanning each one."""
    if not 0 <= total <= MAX_ACCOUNTING:
        raise _count_error(total, 0, MAX_ACCOUNTING)
    with write_transaction(db):
        open_round_row(db, round_id)
        _issuance_row(db, round_id)
        db.execute("UPDATE ballot_issuance SET voided_by_count = ?, updated_at = ? WHERE round_id = ?",
                   [total, now(), round_id])
        _check_voided_total(db, round_id)
        _sync_issued(db, round_id)
        audit.append(db, actor, "ballots.void_count", f"round:{round_id}", {"voided_by_count": total})
        return accounting(db, round_id)


# --- I and R ----------------------------------------------------------------------------

def set_issued(db: Database, round_id: int, issued: int | None, actor: str,
               reason: str | None = None) -> dict[str, Any]:
    """Enter I by hand, or (None) let it follow printed − voided again. I above those
    present (P) is refused unless `reason` acknowledges it (app/ballots/plausibility.py)."""
    if issued is not None and not 0 <= issued <= MAX_ACCOUNTING:
        raise _count_error(issued, 0, MAX_ACCOUNTING)
    with write_transaction(db):
        open_round_row(db, round_id)
        _issuance_row(db, round_id)
        db.execute("UPDATE ballot_issuance SET issued_entered = ?, updated_at = ? WHERE round_id = ?",
                   [int(issued is not None), now(), round_id])
        if issued is not None:
            db.execute("UPDATE round SET ballots_issued = ? WHERE id = ?", [issued, round_id])
        _sync_issued(db, round_id)
        if issued is not None:
            present = db.execute("SELECT present FROM round WHERE id = ?", [round_id]).fetchone()[0]
            require_plausible(db, round_id, issued, present, reason, actor)
        audit.append(db, actor, "ballots.issued", f"round:{round_id}", {"issued": issued})
        return accounting(db, round_id)


def acknowledge_over_present(db: Database, round_id: int, reason: str | None, actor: str) -> dict[str, Any]:
    """Acknowledge the round's present I > P with a reason (the close page's form); an open
    round only. Returns the acknowledgement."""
    with write_transaction(db):
        open_round_row(db, round_id)
        row = db.execute("SELECT ballots_issued, present FROM round WHERE id = ?",
                         [round_id]).fetchone()
        issued, present = row[0], row[1]
        if issued is None or present is None or issued <= present:
            raise AppError(Kind.CONFLICT, "issued_not_over_present",
                           "ballots.issued_not_over_present", issued=issued or 0,
                           present=present or 0)
        if reason is None or not reason.strip():
            raise AppError(Kind.INVALID, "issued_over_present_reason",
                           "ballots.issued_over_present_reason", issued=issued, present=present,
                           low=plausibility.MIN_REASON, high=plausibility.MAX_REASON)
        db.execute("DELETE FROM issued_over_present WHERE round_id = ?", [round_id])
        plausibility.require_plausible(db, round_id, issued, present, reason, actor)
        ack = plausibility.acknowledgement(db, round_id)
    assert ack is not None
    return ack


def set_returned(db: Database, round_id: int, returned: int, actor: str) -> dict[str, Any]:
    """R, the ballots found in the box, as the chief scrutineer counted them (R12)."""
    if not 0 <= returned <= MAX_ACCOUNTING:
        raise _count_error(returned, 0, MAX_ACCOUNTING)
    with write_transaction(db):
        open_round_row(db, round_id)
        db.execute("UPDATE round SET ballots_returned = ? WHERE id = ?", [returned, round_id])
        audit.append(db, actor, "ballots.returned", f"round:{round_id}", {"returned": returned})
        return accounting(db, round_id)


def accounting(db: Database, round_id: int) -> dict[str, Any]:
    """Printed, voided (scanned and by count), I, R and R2 for a round."""
    row = load_round(db, round_id)
    counts = db.execute(
        "SELECT count(*), coalesce(sum(state = 'voided'), 0) FROM ballot_serial WHERE round_id = ?",
        [round_id]).fetchone()
    printed, voided_scanned = counts[0], counts[1]
    issuance = db.execute("SELECT voided_by_count, issued_entered FROM ballot_issuance"
                          " WHERE round_id = ?", [round_id]).fetchone()
    voided_by_count = issuance["voided_by_count"] if issuance else 0
    figures = db.execute("SELECT ballots_issued, ballots_returned, present FROM round WHERE id = ?",
                         [round_id]).fetchone()
    issued = figures["ballots_issued"] if figures["ballots_issued"] is not None else 0
    returned = figures["ballots_returned"]
    batches = [dict(batch) for batch in db.execute(
        "SELECT batch, printed, layout_sha256, created_at FROM ballot_batch WHERE round_id = ?"
        " ORDER BY batch", [round_id])]
    return {
        "round_id": round_id, "contest_id": row.contest_id, "state": row.state,
        "printed": printed, "voided_scanned": voided_scanned, "voided_by_count": voided_by_count,
        "voided": voided_scanned + voided_by_count, "issued": issued,
        "issued_entered": bool(issuance and issuance["issued_entered"]),
        "returned": returned, "present": figures["present"],
        # I > P, acknowledged with a reason (or null)
        "issued_over_present": acknowledgement(db, round_id),
        # R2: R ≤ I; unknown until R is entered.
        "round_valid": None if returned is None else round_valid(issued, returned),
        "batches": batches,
    }


# --- helpers, inside a write transaction -------------------------------------------------

def _issuance_row(db: Database, round_id: int) -> None:
    db.execute("INSERT OR IGNORE INTO ballot_issuance (round_id, updated_at) VALUES (?, ?)",
               [round_id, now()])


def _check_voided_total(db: Database, round_id: int) -> None:
    figures = accounting(db, round_id)
    if figures["voided"] > figures["printed"]:
        raise AppError(Kind.INVALID, "too_many_voided", "ballots.too_many_voided",
                       voided=figures["voided"], printed=figures["printed"])


def _sync_issued(db: Database, round_id: int) -> None:
    """Keep round.ballots_issued = printed − voided, unless I was entered by hand."""
    entered = db.execute("SELECT issued_entered FROM ballot_issuance WHERE round_id = ?",
                         [round_id]).fetchone()
    if entered and entered[0]:
        return
    figures = accounting(db, round_id)
    db.execute("UPDATE round SET ballots_issued = ? WHERE id = ?",
               [figures["printed"] - figures["voided"], round_id])
