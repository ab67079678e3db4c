"""Which printed ballot a tablet is talking about: a scanned QR payload (its HMAC tag
checked: a forged or altered code is refused), a typed short code, or a serial the photo
reader returned. The checks belong to the issuing area: app.ballots.issue.check_ballot."""

from __future__ import annotations

from sqlite_utils import Database

from ..ballots.issue import check_ballot
from ..errors import AppError, Kind


def identify(db: Database, ballot_key: str, round_id: int, *, payload: str | None = None,
             code: str | None = None) -> str:
    """The serial of a ballot printed for `round_id`, or an AppError saying why not:
    not_ours, bad_tag (forged), other_contest, other_round, never_printed, voided."""
    if payload:
        return check_ballot(db, ballot_key, payload_text=payload, round_id=round_id)
    if code:
        return check_ballot(db, ballot_key, typed_code=code, round_id=round_id)
    raise AppError(Kind.INVALID, "source_required", "counting_source_required")
