"""The rounds ballots are printed for, as the ballot page lists them."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def rounds_to_print_for(db: Database, congress_id: int | None = None) -> list[dict[str, Any]]:
    """Every round (or only those of one congress or plenary), each naming its contest and
    its congress, in the congresses' and contests' order."""
    rows = db.execute(
        "SELECT r.id AS round_id, r.contest_id, c.title AS contest_title, r.number, r.kind, r.state,"
        " r.seats, c.congress_id, g.name AS congress_name FROM round r"
        " JOIN contest c ON c.id = r.contest_id JOIN congress g ON g.id = c.congress_id"
        " WHERE ? IS NULL OR c.congress_id = ?"
        " ORDER BY c.congress_id, c.position, c.id, r.number", [congress_id, congress_id]).fetchall()
    return [dict(row) for row in rows]
