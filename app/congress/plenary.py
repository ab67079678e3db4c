"""R13: the new committee's first plenary (委员会第一次全体会议) and the new funds-audit
committee's first meeting (经审委第一次会议).

A plenary is modelled as a body of its own that reuses the congress machinery: a
`congress` row with `parent_id` (the congress that elected it), `body` and
`source_contest_id`. Its roster is the members elected by the congress's sealed result
of that contest (name, unit and gender carried over from the congress's roster), so
E = those members and P = those of them checked in at the plenary; every page and
service that works on a congress (roster, attendance, contests, print, count, board,
seal, reports) works on the plenary unchanged.

The congress's setting `leaders_elected_by` decides who elects 主席/副主席: the
congress itself (`congress`, the default) or the committee's plenary (`plenary`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..rules import normalize_name, plan_next_round, sort_by_name
from ..store import audit, write_transaction
from ..store.clock import now
from ..store.states import SEALED
from .offices import PLENARY_OF_OFFICE
from .refusal import SetupError
from .setup import NewPerson, add_people


@dataclass(frozen=True)
class Member:
    """One elected member as carried onto the plenary's roster."""

    name: str
    unit: str
    gender: str


def plenary_title(contest_title: str) -> str:
    """第五届工会委员会委员 → 第五届工会委员会第一次全体会议."""
    title = contest_title.strip()
    if title.endswith("委员") and len(title) > 2:
        title = title[:-2]
    return f"{title}第一次全体会议"


def _sealed_rounds(db: Database, contest_id: int) -> list[dict[str, Any]]:
    return [dict(row) for row in db.execute(
        "SELECT id, number, state, seats, result_json FROM round WHERE contest_id = ? ORDER BY number",
        [contest_id])]


def elected_of_contest(db: Database, contest_id: int) -> list[dict[str, str | None]]:
    """Everyone the contest elected over all its sealed rounds (first vote, re-votes and
    another elections), once the contest is settled; refused while a round is still to be
    held. Each entry: name and the candidate's note."""
    rounds = _sealed_rounds(db, contest_id)
    if not rounds or any(r["state"] != SEALED for r in rounds):
        raise SetupError("plenary_contest_not_sealed")
    last = rounds[-1]
    result = json.loads(last["result_json"])
    candidates = {row["ref"]: dict(row) for row in db.execute(
        "SELECT ref, name, note FROM candidate WHERE contest_id = ?", [contest_id])}
    settled_by_motion = db.execute("SELECT 1 FROM contest_motion WHERE round_id = ?",
                                   [last["id"]]).fetchone() is not None
    rules = json.loads(db.execute("SELECT rules_json FROM contest WHERE id = ?",
                                  [contest_id]).fetchone()[0])
    plan = plan_next_round(result, last["seats"], [ref for ref in candidates],
                           rules.get("shortfall", "another_election"),
                           rules.get("differential_rate_percent", 5))
    if plan is not None and not settled_by_motion:
        raise SetupError("plenary_contest_not_settled")
    elected: list[dict[str, str | None]] = []
    for row in rounds:
        for person in json.loads(row["result_json"])["elected"]:
            candidate = candidates.get(person["ref"]) if person["ref"] else None
            elected.append({"name": person["name"],
                            "note": candidate["note"] if candidate else None})
    if not elected:
        raise SetupError("plenary_nobody_elected")
    return elected


def members_of(db: Database, congress_id: int, elected: list[dict[str, str | None]]) -> list[Member]:
    """The elected as roster entries, unit and gender carried over from the congress's
    roster: matched by name, and by unit when two delegates share a name."""
    roster: dict[str, list[dict[str, Any]]] = {}
    for row in db.execute("SELECT name, unit, gender FROM person WHERE congress_id = ?", [congress_id]):
        roster.setdefault(normalize_name(row["name"]), []).append(dict(row))
    members = []
    for person in elected:
        same_name = roster.get(normalize_name(str(person["name"])), [])
        if len(same_name) > 1 and person["note"]:
            same_name = [p for p in same_name if p["unit"] == person["note"]] or same_name
        match = same_name[0] if len(same_name) == 1 else None
        members.append(Member(name=str(person["name"]),
                              unit=match["unit"] if match else (person["note"] or ""),
                              gender=match["gender"] if match else ""))
    return sort_by_name(members, lambda m: m.name, lambda m: (m.unit,))


def start_plenary(db: Database, contest_id: int, actor: str) -> int:
    """R13: once the committee (or 经审委) contest is sealed and settled, open its first
    plenary as a body whose roster is the members elected; returns the new body's id."""
    with write_transaction(db):
        contest = db.execute("SELECT c.id, c.title, c.office, c.congress_id, g.kind, g.members,"
                             " g.body, g.live_board_public FROM contest c"
                             " JOIN congress g ON g.id = c.congress_id WHERE c.id = ?",
                             [contest_id]).fetchone()
        if contest is None:
            raise SetupError("contest_not_found", contest_id=contest_id)
        body = PLENARY_OF_OFFICE.get(contest["office"])
        if body is None or contest["body"] != "congress":
            raise SetupError("plenary_wrong_office")
        existing = db.execute("SELECT id FROM congress WHERE source_contest_id = ?",
                              [contest_id]).fetchone()
        if existing is not None:
            raise SetupError("plenary_exists", congress_id=existing[0])
        members = members_of(db, contest["congress_id"], elected_of_contest(db, contest_id))
        name = plenary_title(contest["title"])
        plenary_id = db.execute(
            "INSERT INTO congress (name, kind, assembly, members, live_board_public, created_at,"
            " parent_id, body, source_contest_id) VALUES (?, ?, 'members', ?, ?, ?, ?, ?, ?)",
            [name, contest["kind"], contest["members"], contest["live_board_public"], now(),
             contest["congress_id"], body, contest_id]).lastrowid
        assert plenary_id is not None
        add_people(db, plenary_id, [NewPerson(name=m.name, unit=m.unit, gender=m.gender)
                                    for m in members], actor)
        audit.append(db, actor, "plenary.start", f"congress:{plenary_id}",
                     {"parent": contest["congress_id"], "contest": contest_id, "body": body,
                      "name": name, "members": [m.name for m in members]})
    return plenary_id


def plenaries(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """The bodies started from this congress's contests, in the order they were started."""
    return [dict(row) for row in db.execute(
        "SELECT g.id, g.name, g.body, g.source_contest_id, c.title AS source_title,"
        " (SELECT count(*) FROM person p WHERE p.congress_id = g.id) AS members"
        " FROM congress g JOIN contest c ON c.id = g.source_contest_id"
        " WHERE g.parent_id = ? ORDER BY g.id", [congress_id])]


def plenary_candidates(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """The congress's committee and audit-committee contests with whether a plenary can be
    started (sealed and settled), has been, or not yet, for the secretariat's page."""
    out = []
    for row in db.execute("SELECT id, title, office FROM contest WHERE congress_id = ?"
                          " AND office IN ('committee', 'audit_committee') ORDER BY position, id",
                          [congress_id]):
        started = db.execute("SELECT id FROM congress WHERE source_contest_id = ?",
                             [row["id"]]).fetchone()
        ready, reason = True, None
        if started is None:
            try:
                elected_of_contest(db, row["id"])
            except SetupError as error:
                ready, reason = False, error.code
        out.append({"contest_id": row["id"], "title": row["title"], "office": row["office"],
                    "plenary_title": plenary_title(row["title"]),
                    "plenary_id": started[0] if started else None, "ready": ready and not started,
                    "reason": reason})
    return out
