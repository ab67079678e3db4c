"""Reading the congress for the secretariat: figures, roster search, contests.

The figures come from the rules engine (R1 quorum, R7 slate, R8 size, R9 order), never
from arithmetic of their own.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from ..rules import (
    RuleSettings,
    check_slate,
    normalize_name,
    quorum_met,
    quorum_needed,
    size_warning,
    sort_by_name,
    unknown_characters,
)
from ..rules.settings import QUORUM_CHOICES
from .rounds import electorate


def latest_congress_id(db: Database) -> int | None:
    """The newest congress; a plenary (R13) is reached from its congress, never by default."""
    row = db.execute("SELECT max(id) FROM congress WHERE parent_id IS NULL").fetchone()
    return row[0]


def congress_row(db: Database, congress_id: int) -> dict[str, Any] | None:
    row = db.execute("SELECT id, name, kind, assembly, members, live_board_public, created_at,"
                     " parent_id, body, source_contest_id, leaders_elected_by,"
                     " place, issuing_body, ballot_stamp"
                     " FROM congress WHERE id = ?", [congress_id]).fetchone()
    if row is None:
        return None
    data = dict(row)
    data["live_board_public"] = bool(data["live_board_public"])
    data["ballot_stamp"] = bool(data["ballot_stamp"])
    return data


def congress_name(db: Database, congress_id: int) -> str:
    """The congress's name as printed on its documents (the closing page's heading)."""
    row = db.execute("SELECT name FROM congress WHERE id = ?", [congress_id]).fetchone()
    return row[0] if row else ""


def all_congresses(db: Database) -> list[dict[str, Any]]:
    """Every congress and plenary, oldest first."""
    return [row for row in (congress_row(db, found[0]) for found in
                            db.execute("SELECT id FROM congress ORDER BY id")) if row is not None]


def roster_size(db: Database, congress_id: int) -> int:
    """How many people are on the congress's roster (a plenary's: its members)."""
    return db.execute("SELECT count(*) FROM person WHERE congress_id = ?", [congress_id]).fetchone()[0]


def quorum_rules_in_use(db: Database, congress_id: int) -> list[str]:
    """The R1 settings of this congress's contests (the default when there are none)."""
    rules = {RuleSettings.from_dict(json.loads(row[0])).quorum for row in db.execute(
        "SELECT rules_json FROM contest WHERE congress_id = ?", [congress_id])}
    return [rule for rule in QUORUM_CHOICES if rule in rules] or [RuleSettings().quorum]


def quorum(db: Database, congress_id: int) -> dict[str, Any]:
    """R1 live: E, P, and for each quorum setting in use the least P needed and whether met."""
    entitled, present = electorate(db, congress_id)
    roster = db.execute("SELECT count(*) FROM person WHERE congress_id = ?",
                        [congress_id]).fetchone()[0]
    return {
        "congress_id": congress_id,
        "entitled": entitled,
        "present": present,
        "roster": roster,
        "checks": [{"rule": rule, "needed": quorum_needed(entitled, rule),
                    "met": quorum_met(entitled, present, rule)}
                   for rule in quorum_rules_in_use(db, congress_id)],
    }


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def people(db: Database, congress_id: int, query: str = "", limit: int = 200,
           offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Roster entries matching `query` (name without spaces, unit, note, or the exact card
    code), in R9 stroke order, with whether each is checked in; and the total matched."""
    sql = ("SELECT p.id, p.name, p.unit, p.gender, p.entitled, p.note, p.card_code,"
           " a.checked_in_at FROM person p LEFT JOIN attendance a ON a.person_id = p.id"
           " WHERE p.congress_id = ?")
    params: list[Any] = [congress_id]
    text = normalize_name(query)
    if text:
        sql += (" AND (replace(replace(p.name, ' ', ''), '\u3000', '') LIKE ? ESCAPE '\\'"
                " OR p.unit LIKE ? ESCAPE '\\' OR p.note LIKE ? ESCAPE '\\' OR p.card_code = ?)")
        params += [_like(text), _like(text), _like(text), text.upper()]
    rows = [dict(row) for row in db.execute(sql, params)]
    ordered = sort_by_name(rows, lambda row: row["name"], lambda row: (row["unit"], row["id"]))
    for row in ordered:
        row["entitled"] = bool(row["entitled"])
        row["present"] = row["checked_in_at"] is not None
    return len(ordered), ordered[offset:offset + limit]


def person(db: Database, person_id: int) -> dict[str, Any] | None:
    row = db.execute("SELECT p.id, p.congress_id, p.name, p.unit, p.gender, p.entitled, p.note,"
                     " p.card_code, a.checked_in_at FROM person p"
                     " LEFT JOIN attendance a ON a.person_id = p.id WHERE p.id = ?",
                     [person_id]).fetchone()
    if row is None:
        return None
    data = dict(row)
    data["entitled"] = bool(data["entitled"])
    data["present"] = data["checked_in_at"] is not None
    return data


def roster_keys(db: Database, congress_id: int) -> list[tuple[str, str, str]]:
    return [(row[0], row[1], row[2]) for row in db.execute(
        "SELECT name, unit, note FROM person WHERE congress_id = ?", [congress_id])]


def contest_ids(db: Database, congress_id: int) -> list[int]:
    return [row[0] for row in db.execute(
        "SELECT id FROM contest WHERE congress_id = ? ORDER BY position, id", [congress_id])]


def contest(db: Database, contest_id: int) -> dict[str, Any] | None:
    """A contest as the secretariat sees it: slate in R9 order, the R7 check of round 1,
    the R8 warning, every setting, officials and rounds."""
    row = db.execute("SELECT c.id, c.congress_id, c.title, c.office, c.method, c.seats,"
                     " c.rules_json, c.position, c.created_at, g.members FROM contest c"
                     " JOIN congress g ON g.id = c.congress_id WHERE c.id = ?",
                     [contest_id]).fetchone()
    if row is None:
        return None
    rules = RuleSettings.from_dict(json.loads(row["rules_json"]))
    rounds = [dict(r) for r in db.execute(
        "SELECT id, number, kind, method, seats, state, entitled, present, opened_at, sealed_at"
        " FROM round WHERE contest_id = ? ORDER BY number", [contest_id])]
    first = rounds[0] if rounds else None
    candidates = [dict(c) for c in db.execute(
        "SELECT id, ref, name, note FROM candidate WHERE contest_id = ?", [contest_id])]
    candidates = sort_by_name(candidates, lambda c: c["name"], lambda c: (c["note"], c["id"]))
    slate = check_slate(row["method"], row["seats"], len(candidates),
                        rules.differential_rate_percent)
    officials = [dict(o) for o in db.execute(
        "SELECT o.id, o.name, o.role, o.user_id, o.person_id, coalesce(p.unit, '') AS unit"
        " FROM contest_official o LEFT JOIN person p ON p.id = o.person_id WHERE o.contest_id = ?"
        " ORDER BY CASE o.role WHEN 'chief_scrutineer' THEN 0 WHEN 'scrutineer' THEN 1 ELSE 2 END, o.id",
        [contest_id])]
    unknown = unknown_characters(c["name"] for c in candidates)
    return {
        "id": row["id"], "congress_id": row["congress_id"], "title": row["title"],
        "office": row["office"], "method": row["method"], "seats": row["seats"],
        "position": row["position"], "created_at": row["created_at"],
        "rules": rules.as_dict(),
        "candidates": candidates,
        "unknown_characters": [{"char": char, "names": names} for char, names in unknown.items()],
        "slate": {**slate.as_dict(), "candidates": len(candidates), "seats": row["seats"]},
        "size_warning": (size_warning(row["members"], row["seats"])
                         if row["office"] == "committee" else None),
        "officials": officials,
        "rounds": rounds,
        "editable": first is not None and first["state"] == "draft",
    }
