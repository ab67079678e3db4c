"""What the batch gives people besides the count: the reject list (the sheets to pull
from the stack and rescan or count by tablet) and the cross-check of the scanner's
readings against the tablets' for the scrutineers."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from ..ballots.round_layout import load_round
from ..counting.choices import stored_choices
from ..i18n import t
from .staging import load_batch

# Reason codes of a refused page (the CLI's --out and the API carry these codes; people
# see the words, registered in app/batch/messages.py).
REASONS = ("not_a_ballot", "blank_page", "other_round", "duplicate_in_batch", "unreadable", "forged",
           "never_printed", "voided")


def reason_words(code: str) -> str:
    return t(f"batch.reason.{code}") if code in REASONS else t("batch.reason.unreadable")


def reject_list(db: Database, batch_id: int) -> dict[str, Any]:
    """Every refused page but the blank backs (nothing to pull out for those), in page order."""
    batch = load_batch(db, batch_id)
    rows = [{"page": row["page"], "serial": row["serial"], "reason": row["refused"],
             "reason_text": reason_words(row["refused"])} for row in db.execute(
        "SELECT page, serial, refused FROM scan_page WHERE batch_id = ? AND refused IS NOT NULL"
        " AND refused != 'blank_page' ORDER BY page", [batch_id])]
    blank = db.execute("SELECT count(*) FROM scan_page WHERE batch_id = ? AND refused = 'blank_page'",
                       [batch_id]).fetchone()[0]
    return {"batch_id": batch_id, "round_id": batch["round_id"], "source_name": batch["source_name"],
            "uploaded_at": batch["created_at"], "pages": batch["pages"], "blank_pages": blank,
            "rejects": rows}


def _scanner_readings(db: Database, round_id: int) -> dict[str, dict[str, Any]]:
    """serial → what the scanner says: the confirmed version when a teller confirmed the
    page, else the machine's reading with its unsure rows left out of the comparison."""
    readings: dict[str, dict[str, Any]] = {}
    for row in db.execute(
            "SELECT p.batch_id, b.source_name, p.page, p.serial, p.marks_json, p.state,"
            " s.marks_json AS confirmed,"
            " s.invalid FROM scan_page p JOIN scan_batch b ON b.id = p.batch_id"
            " LEFT JOIN ballot_submission s ON s.client_id = 'scan:' || p.batch_id || ':' || p.page"
            " WHERE b.round_id = ? AND p.refused IS NULL AND p.serial IS NOT NULL"
            " ORDER BY p.batch_id, p.page", [round_id]):
        marks = json.loads(row["confirmed"] or row["marks_json"])
        readings.setdefault(row["serial"], {"batch_id": row["batch_id"], "file": row["source_name"],
                                            "page": row["page"],
                                            "marks": marks, "invalid": bool(row["invalid"])})
    return readings


def cross_check(db: Database, round_id: int) -> dict[str, Any]:
    """Every serial read both by a tablet and by the scanner whose readings differ, with
    the candidates on which they differ."""
    load_round(db, round_id)
    names = {row["ref"]: row["name"] for row in db.execute(
        "SELECT c.ref, c.name FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ?", [round_id])}
    scanner = _scanner_readings(db, round_id)
    both, differing = set(), []
    seen: set[tuple[str, str]] = set()
    for row in db.execute(
            "SELECT serial, marks_json, write_ins_json, invalid, invalid_reason FROM ballot_submission"
            " WHERE round_id = ? AND outcome != 'decided' AND (client_id IS NULL OR client_id NOT LIKE"
            " 'scan:%') ORDER BY id", [round_id]):
        scan = scanner.get(row["serial"])
        if scan is None:
            continue
        both.add(row["serial"])
        tablet = stored_choices(row)
        differences = []
        if tablet.invalid != scan["invalid"]:
            differences.append({"ref": None, "name": t("batch.invalid_sheet"),
                                "tablet": "invalid" if tablet.invalid else "valid",
                                "scanner": "invalid" if scan["invalid"] else "valid"})
        for ref in sorted(names, key=lambda r: names[r]):
            mine = scan["marks"].get(ref, "abstain")
            theirs = tablet.marks.get(ref, "abstain")
            if mine != "unsure" and mine != theirs:
                differences.append({"ref": ref, "name": names[ref], "tablet": theirs, "scanner": mine})
        key = (row["serial"], json.dumps(differences, sort_keys=True))
        if differences and key not in seen:
            seen.add(key)
            differing.append({"serial": row["serial"], "batch_id": scan["batch_id"], "file": scan["file"],
                              "page": scan["page"], "differences": differences})
    return {"round_id": round_id, "read_by_both": len(both), "differing": differing}
