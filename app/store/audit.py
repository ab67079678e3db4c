"""The audit log: every state change appended, each entry carrying the hash of the one
before it, so that altering or removing any entry breaks the chain from there on.

Details never name a roster person together with a ballot serial (R10).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .clock import now

GENESIS = "0" * 64


def entry_hash(prev_hash: str, at: str, actor: str, action: str, subject: str,
               detail_json: str) -> str:
    """SHA-256 over the previous hash and this entry's fields, in a fixed encoding."""
    payload = json.dumps([prev_hash, at, actor, action, subject, detail_json],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(db: Database, actor: str, action: str, subject: str = "",
           detail: dict[str, Any] | None = None) -> str:
    """Add an entry; call inside the write transaction of the change it records."""
    row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    at = now()
    detail_json = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True,
                             separators=(",", ":"))
    digest = entry_hash(prev, at, actor, action, subject, detail_json)
    db.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail_json, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", [at, actor, action, subject, detail_json, prev, digest])
    return digest


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    problem: str | None = None


def verify_chain(db: Database) -> ChainCheck:
    """Walk the whole log; report the first entry whose hash or link does not hold."""
    prev = GENESIS
    count = 0
    expected_id = None
    for row in db.execute("SELECT id, at, actor, action, subject, detail_json, prev_hash, hash"
                          " FROM audit_log ORDER BY id"):
        entry_id, at, actor, action, subject, detail_json, prev_hash, stored = tuple(row)
        count += 1
        if expected_id is not None and entry_id != expected_id:
            return ChainCheck(False, count, expected_id, f"entry {expected_id} is missing")
        expected_id = entry_id + 1
        if prev_hash != prev:
            return ChainCheck(False, count, entry_id, "link to the previous entry is broken")
        if entry_hash(prev_hash, at, actor, action, subject, detail_json) != stored:
            return ChainCheck(False, count, entry_id, "entry was altered (hash mismatch)")
        prev = stored
    return ChainCheck(True, count)
