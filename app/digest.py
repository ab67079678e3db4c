"""The digest of exactly the ballots a result counted (issue 6, item 6).

SHA-256 over the canonical JSON of the counted ballots (the record format's ballot
objects, `app.record.dump_ballot`, without their ids) in sorted order. The same ballots
give the same digest whatever order they were scanned in and however often a ballot was
scanned again, so two parties can compare one short code; and since the ids are left
out, an export whose ballots carry ids other than the printed serials (R10,
app/security/secrecy.py) has the digest of the sealed round.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from .record import dump_ballot
from .rules import Ballot


class DigestConflict(ValueError):
    """Two different ballots under one serial: there is no single set to digest."""


def _canonical_text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_ballots(ballots: Iterable[Ballot]) -> list[dict]:
    """The counted ballots once each (a duplicate scan is the same ballot), without their
    ids, in the order of their canonical JSON."""
    unique: dict[str, dict] = {}
    for ballot in ballots:
        data = dump_ballot(ballot)
        if ballot.id in unique and unique[ballot.id] != data:
            raise DigestConflict(ballot.id)
        unique[ballot.id] = data
    contents = [{key: value for key, value in data.items() if key != "id"}
                for data in unique.values()]
    return sorted(contents, key=_canonical_text)


def ballots_digest(ballots: Iterable[Ballot]) -> str:
    """Hex SHA-256 of the canonical JSON of the counted ballots."""
    text = json.dumps(canonical_ballots(ballots), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_digest(digest: str | None) -> str:
    """The first 16 hex digits in groups of four, upper case: `3F2A-90C1-…`."""
    if not digest:
        return ""
    head = digest[:16].upper()
    return "-".join(head[i:i + 4] for i in range(0, 16, 4))


def digest_matches(digest: str, printed: str) -> bool:
    """Whether a digest matches one printed in full or in the short grouped form
    (`3F2A-90C1-…`, the first 16 hex digits)."""
    wanted = printed.replace("-", "").replace(" ", "").lower()
    return len(wanted) >= 16 and digest.lower().startswith(wanted)
