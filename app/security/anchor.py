"""Tamper evidence anchored on paper: what the signed count report and the hall board
print, and how a printed anchor is checked later.

The anchor of a sealed round is the audit chain's head when it was sealed, written
`ENTRY:HASH` (the entry number and its SHA-256), and the round's ballot digest. Someone
with write access to the machine can recompute the whole hash chain, but cannot change
the paper: `flask --app app verify-audit --head ENTRY:HASH` finds the chain cut short
(truncation) or the printed entry no longer the same (rewriting), and
`flask --app app recount RECORD --digest DIGEST` finds ballots that differ from the ones
the report's digest covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M
from sqlite_utils import Database

from ..digest import digest_matches  # noqa: F401  (re-exported: the paper checks)
from ..store import audit

# How much of each hash the board shows in words and puts in its QR code. The checks take
# any prefix of 16 hex digits or more; the QR code carries 32 (128 bits) and stays small
# enough to read off a projector from the hall.
SHOWN_HEX = 16
QR_HEX = 32
QR_FORMAT = "UNION-ANCHOR/1"

_HEAD_RE = re.compile(r"^\s*(\d{1,12})\s*:\s*([0-9a-fA-F]{16,64})\s*$")


def current_head(db: Database) -> str:
    """The audit chain's head now, as printed: `ENTRY:HASH` (`0:000…` for an empty log)."""
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return f"{row[0]}:{row[1]}" if row else f"0:{audit.GENESIS}"


def round_anchor(db: Database, round_id: int) -> dict[str, Any]:
    """What the signed report and the board show for a round: its digest and the audit
    head at its sealing (the seal's own entry), or now when not yet sealed. The board
    engineer's pages print both as text and QR."""
    row = db.execute("SELECT digest FROM round WHERE id = ?", [round_id]).fetchone()
    seal = db.execute("SELECT id, hash FROM audit_log WHERE action = 'round.seal'"
                      " AND subject = ? ORDER BY id DESC LIMIT 1", [f"round:{round_id}"]).fetchone()
    head = f"{seal[0]}:{seal[1]}" if seal else current_head(db)
    return {"round_id": round_id, "digest": row["digest"] if row else None,
            "audit_head": head, "sealed": seal is not None}


def short_head(head: str, digits: int = SHOWN_HEX) -> str:
    """`ENTRY:HASH` cut to `digits` hex digits, as `verify-audit --head` takes it."""
    entry, _, digest = head.partition(":")
    return f"{entry}:{digest[:digits]}"


def anchor_payload(anchor: dict[str, Any]) -> str:
    """The text of a sealed round's QR code: three lines, the format, then the two values
    exactly as `verify-audit --head` and `recount --digest` take them."""
    return (f"{QR_FORMAT}\nhead={short_head(anchor['audit_head'], QR_HEX)}"
            f"\ndigest={(anchor['digest'] or '')[:QR_HEX]}")


def anchor_qr_svg(anchor: dict[str, Any]) -> bytes:
    """The anchor as a QR code (SVG, dark on white with its quiet zone), for the board."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4,
                         image_factory=qrcode.image.svg.SvgPathFillImage)
    code.add_data(anchor_payload(anchor))
    code.make(fit=True)
    image = code.make_image()
    return image.to_string(encoding="unicode").encode("utf-8")


@dataclass(frozen=True)
class HeadCheck:
    ok: bool
    problem: str | None = None


def check_head(db: Database, printed: str) -> HeadCheck:
    """Is the printed `ENTRY:HASH` still in an intact chain? The hash may be printed cut
    short (at least 16 hex digits)."""
    match = _HEAD_RE.match(printed)
    if not match:
        return HeadCheck(False, "the printed head must look like ENTRY:HASH (e.g. 412:3f2a90c1…)")
    entry, prefix = int(match.group(1)), match.group(2).lower()
    chain = audit.verify_chain(db)
    if not chain.ok:
        return HeadCheck(False, f"chain broken at entry {chain.first_broken_id}: {chain.problem}")
    row = db.execute("SELECT hash FROM audit_log WHERE id = ?", [entry]).fetchone()
    if row is None:
        last = db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
        return HeadCheck(False, f"truncated: the printed entry {entry} is gone "
                                f"(the log ends at entry {last})")
    if not row[0].startswith(prefix):
        return HeadCheck(False, f"rewritten: entry {entry} no longer has the printed hash "
                                f"(printed {prefix[:16]}…, now {row[0][:16]}…)")
    return HeadCheck(True)
