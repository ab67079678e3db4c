"""Ballot secrecy by construction (R10): what keeps a delegate apart from their ballot.

- Print batches: once check-in has begun, a batch smaller than the minimum is refused, so
  no audit entry or batch row can pair one late check-in with a one-sheet print run.
  Late arrivals get one of the spare ballots printed before voting.
- Coarse times: attendance and print batches keep the minute only (nothing needs more).
- Export ids: a round's record names each ballot by a keyed hash of its serial under a key
  made for that one export and then forgotten, in the order of those hashes, so the code
  printed on a sheet cannot be found in any export (no receipt for a vote buyer), while the
  marks, the recount and the ballot digest (app/results/digest.py, id-free) are unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..rules import Ballot
from ..store.clock import coarse_time  # noqa: F401  (re-exported)

DEFAULT_MIN_PRINT_BATCH = 20

register({
    "ballots.batch_too_small": {
        "zh-CN": "代表签到已经开始：每批至少印制 {minimum} 张选票（收到 {count}）。"
                 "迟到的代表请发给投票前印好的备用选票，以免从印制记录推断出他的选票。",
        "en": "Check-in has begun: print at least {minimum} ballots per batch (got {count}). "
              "Hand late arrivals a spare printed before voting, so that no print record can "
              "point at their ballot."},
})


def min_print_batch() -> int:
    """The smallest batch accepted once check-in has begun (`UNION_MIN_PRINT_BATCH`)."""
    raw = os.environ.get("UNION_MIN_PRINT_BATCH", "")
    return int(raw) if raw.strip().isdigit() else DEFAULT_MIN_PRINT_BATCH


def check_in_begun(db: Database, round_id: int) -> bool:
    """Whether anyone of the round's congress has been checked in."""
    return db.execute(
        "SELECT 1 FROM attendance a JOIN contest c ON c.congress_id = a.congress_id"
        " JOIN round r ON r.contest_id = c.id WHERE r.id = ? LIMIT 1", [round_id]).fetchone() is not None


def check_batch_size(db: Database, round_id: int, count: int) -> None:
    """R10: refuse a small print batch once check-in has begun."""
    minimum = min_print_batch()
    if 1 <= count < minimum and check_in_begun(db, round_id):  # 0 or less: bad_count elsewhere
        raise AppError(Kind.INVALID, "batch_too_small", "ballots.batch_too_small", minimum=minimum,
                       count=count)


def pseudonymize(ballots: Iterable[Ballot]) -> list[Ballot]:
    """The ballots under ids that are not their serials: HMAC-SHA256 of the serial under a
    key made here and dropped, cut to 80 bits; ordered by the new id (a random order).
    The same serial twice (a duplicate scan) keeps one id, so a record stays consistent."""
    key = secrets.token_bytes(32)
    renamed = [Ballot("b" + hmac.new(key, ballot.id.encode(), hashlib.sha256).hexdigest()[:20],
                      ballot.marks, ballot.write_ins, ballot.invalid) for ballot in ballots]
    return sorted(renamed, key=lambda ballot: ballot.id)
