"""Issued ballots above those present (I > P, issue 16): implausible, so refused unless a
person acknowledges it with a reason in words.

More ballots handed out than delegates present is how a box gets stuffed; it can also be
honest (a spoilt ballot replaced and not voided, a late count of attendance). So it is not
simply forbidden: whoever sets I by hand, or the chief scrutineer when sealing, either
corrects the figure or gives the reason. The acknowledgement is audited with its reason,
covers I up to the figure acknowledged (with the same P), and is printed on the close page
and the count report.

Printing many spares before voting (as R10 asks) makes printed − voided exceed P for a
while; that is normal until the spares are voided, so it is checked when I is entered by
hand and at sealing, not at each print run.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..store import audit
from ..store.clock import now

MIN_REASON = 4  # characters: a word or two, not a dot
MAX_REASON = 500

register({
    "ballots.issued_over_present": {
        "zh-CN": "发出选票 {issued} 张，多于参加选举人数 {present} 人。请核对发出张数；"
                 "如确有原因，请用文字写明原因后确认。",
        "en": "Ballots issued ({issued}) exceed those present ({present}). Check the number "
              "issued; if there is a reason, write it in words to acknowledge it."},
    "ballots.issued_over_present_reason": {
        "zh-CN": "确认发出选票（{issued} 张）多于参加选举人数（{present} 人）的原因"
                 "需写 {low} 至 {high} 个字。",
        "en": "The reason for issuing {issued} ballots to {present} present must be {low} to "
              "{high} characters long."},
    "ballots.issued_not_over_present": {
        "zh-CN": "发出选票 {issued} 张，未超过参加选举人数 {present} 人，无需确认原因。",
        "en": "Ballots issued ({issued}) do not exceed those present ({present}); there is "
              "nothing to acknowledge."},
    "issued_over_present_open": {
        "zh-CN": "发出选票 {issued} 张多于参加选举人数 {present} 人，尚未写明原因确认",
        "en": "{issued} ballots issued to {present} present, not acknowledged with a reason"},
})


def acknowledgement(db: Database, round_id: int) -> dict[str, Any] | None:
    """The round's I > P acknowledgement (issued, present, reason, by whom, when), if any."""
    row = db.execute("SELECT issued, present, reason, acknowledged_by, acknowledged_at"
                     " FROM issued_over_present WHERE round_id = ?", [round_id]).fetchone()
    return dict(row) if row else None


def covered(db: Database, round_id: int, issued: int | None, present: int | None) -> bool:
    """Is I plausible: unknown, at most P, or acknowledged for at least this I and this P?"""
    if issued is None or present is None or issued <= present:
        return True
    ack = acknowledgement(db, round_id)
    return ack is not None and ack["present"] == present and ack["issued"] >= issued


def _clean_reason(reason: str | None, issued: int, present: int) -> str:
    text = " ".join((reason or "").split())
    if not MIN_REASON <= len(text) <= MAX_REASON:
        raise AppError(Kind.INVALID, "issued_over_present_reason",
                       "ballots.issued_over_present_reason", issued=issued, present=present,
                       low=MIN_REASON, high=MAX_REASON)
    return text


def require_plausible(db: Database, round_id: int, issued: int | None, present: int | None,
                      reason: str | None, actor: str) -> None:
    """Inside the caller's write transaction: pass when I ≤ P or already acknowledged;
    record an acknowledgement when a reason is given; otherwise refuse, naming I and P."""
    if covered(db, round_id, issued, present):
        return
    assert issued is not None and present is not None  # covered() is True otherwise
    if reason is None or not reason.strip():
        raise AppError(Kind.CONFLICT, "issued_over_present", "ballots.issued_over_present",
                       issued=issued, present=present)
    text = _clean_reason(reason, issued, present)
    db.execute("INSERT INTO issued_over_present (round_id, issued, present, reason,"
               " acknowledged_by, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?)"
               " ON CONFLICT(round_id) DO UPDATE SET issued = excluded.issued,"
               " present = excluded.present, reason = excluded.reason,"
               " acknowledged_by = excluded.acknowledged_by,"
               " acknowledged_at = excluded.acknowledged_at",
               [round_id, issued, present, text, actor, now()])
    audit.append(db, actor, "ballots.issued_over_present", f"round:{round_id}",
                 {"issued": issued, "present": present, "reason": text})

