"""What the secretariat prints about attendance: the absentees (未签到名单), attendance
by unit, and the sign-in register (签到簿). People in R9 stroke order within each unit;
保留会籍 members (no vote, not in E) are listed apart and never counted as absent."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..rules import sort_by_name


def _people(db: Database, congress_id: int) -> list[dict[str, Any]]:
    rows = [dict(row) for row in db.execute(
        "SELECT p.id, p.name, p.unit, p.gender, p.entitled, p.note, a.checked_in_at"
        " FROM person p LEFT JOIN attendance a ON a.person_id = p.id WHERE p.congress_id = ?",
        [congress_id])]
    ordered = sort_by_name(rows, lambda row: row["name"], lambda row: (row["id"],))
    ordered.sort(key=lambda row: row["unit"])  # stable: stroke order kept within a unit
    for row in ordered:
        row["entitled"] = bool(row["entitled"])
        row["present"] = row["checked_in_at"] is not None
    return ordered


def absentees(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """Entitled people not checked in, by unit then stroke order."""
    return [row for row in _people(db, congress_id) if row["entitled"] and not row["present"]]


def by_unit(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """Per unit: entitled (应到), present (实到), absent (缺席), retained (保留会籍)."""
    units: dict[str, dict[str, Any]] = {}
    for row in _people(db, congress_id):
        unit = units.setdefault(row["unit"], {"unit": row["unit"], "entitled": 0, "present": 0,
                                              "absent": 0, "retained": 0})
        if not row["entitled"]:
            unit["retained"] += 1
            continue
        unit["entitled"] += 1
        unit["present" if row["present"] else "absent"] += 1
    return list(units.values())


def register_rows(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """Every person for the printed register, numbered, entitled first within each unit."""
    rows = _people(db, congress_id)
    rows.sort(key=lambda row: (row["unit"], not row["entitled"]))
    return [{**row, "number": index} for index, row in enumerate(rows, start=1)]
