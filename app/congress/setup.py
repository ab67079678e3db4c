"""Creating the congress, its roster, its contests (with round 1) and its users."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from ..roles import ROLES
from ..rules import RuleSettings
from ..store import audit, row_id, write_transaction
from ..store.clock import coarse_time, now
from .offices import check_leaders_setting, check_office
from .refusal import SetupError

OFFICES = ("committee", "audit_committee", "chair", "vice_chair", "standing_committee",
           "women_committee", "other", "audit_chair")


@dataclass(frozen=True)
class NewPerson:
    name: str
    unit: str = ""
    gender: str = ""
    entitled: bool = True
    note: str = ""


def new_card_code() -> str:
    """A random code for a delegate's check-in card; it identifies the card, never a ballot."""
    return secrets.token_hex(6).upper()


def create_congress(db: Database, *, name: str, kind: str, assembly: str, members: int,
                    actor: str, live_board_public: bool = True, place: str = "",
                    issuing_body: str = "", ballot_stamp: bool = False) -> int:
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO congress (name, kind, assembly, members, live_board_public, created_at,"
            " place, issuing_body, ballot_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [name, kind, assembly, members, int(live_board_public), now(), place, issuing_body,
             int(ballot_stamp)])
        congress_id = cursor.lastrowid
        audit.append(db, actor, "congress.create", f"congress:{congress_id}",
                     {"name": name, "kind": kind, "assembly": assembly, "members": members})
    return row_id(congress_id)


def add_people(db: Database, congress_id: int, people: Iterable[NewPerson], actor: str) -> list[int]:
    """Add roster entries all together, or none of them."""
    ids = []
    with write_transaction(db):
        for person in people:
            cursor = db.execute(
                "INSERT INTO person (congress_id, name, unit, gender, entitled, card_code, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [congress_id, person.name, person.unit, person.gender, int(person.entitled),
                 new_card_code(), person.note])
            ids.append(row_id(cursor.lastrowid))
        audit.append(db, actor, "roster.import", f"congress:{congress_id}", {"added": len(ids)})
    return ids


def check_in(db: Database, person_id: int, actor: str) -> bool:
    """Mark a person present; False when they already were."""
    with write_transaction(db):
        row = db.execute("SELECT congress_id FROM person WHERE id = ?", [person_id]).fetchone()
        if row is None:
            raise LookupError(person_id)
        cursor = db.execute(
            "INSERT OR IGNORE INTO attendance (person_id, congress_id, checked_in_at) VALUES (?, ?, ?)",
            [person_id, row[0], coarse_time(now())])  # the minute is enough (R10)
        if cursor.rowcount:
            audit.append(db, actor, "attendance.check_in", f"person:{person_id}")
        return bool(cursor.rowcount)


def undo_check_in(db: Database, person_id: int, actor: str) -> bool:
    with write_transaction(db):
        cursor = db.execute("DELETE FROM attendance WHERE person_id = ?", [person_id])
        if cursor.rowcount:
            audit.append(db, actor, "attendance.undo", f"person:{person_id}")
        return bool(cursor.rowcount)


def create_contest(db: Database, congress_id: int, *, title: str, office: str, method: str,
                   seats: int, candidates: Iterable[tuple[str, str]], actor: str,
                   rules: RuleSettings | None = None, position: int = 0) -> int:
    """A contest with its candidates (name, note) and its first round, in draft."""
    rules = rules or RuleSettings()
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO contest (congress_id, title, office, method, seats, rules_json, position,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [congress_id, title, office, method, seats, json.dumps(rules.as_dict()), position, now()])
        contest_id = cursor.lastrowid
        round_id = db.execute(
            "INSERT INTO round (contest_id, number, kind, method, seats, state)"
            " VALUES (?, 1, 'first', ?, ?, 'draft')", [contest_id, method, seats]).lastrowid
        for index, (name, note) in enumerate(candidates, start=1):
            candidate_id = db.execute(
                "INSERT INTO candidate (contest_id, ref, name, note) VALUES (?, ?, ?, ?)",
                [contest_id, f"c{index}", name, note]).lastrowid
            db.execute("INSERT INTO round_candidate (round_id, candidate_id) VALUES (?, ?)",
                       [round_id, candidate_id])
        audit.append(db, actor, "contest.create", f"contest:{contest_id}",
                     {"title": title, "method": method, "seats": seats, "rules": rules.as_dict()})
    return row_id(contest_id)


def create_user(db: Database, *, username: str, display_name: str, password: str, role: str,
                actor: str) -> int:
    """A user with a scrypt-hashed password (werkzeug's KDF)."""
    if role not in ROLES:
        raise ValueError(role)
    with write_transaction(db):
        user_id = db.execute(
            "INSERT INTO app_user (username, display_name, password_hash, role, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [username, display_name, generate_password_hash(password), role, now()]).lastrowid
        audit.append(db, actor, "user.create", f"user:{user_id}", {"username": username, "role": role})
    return row_id(user_id)


def add_official(db: Database, contest_id: int, name: str, role: str, actor: str,
                 user_id: int | None = None) -> int:
    with write_transaction(db):
        official_id = db.execute(
            "INSERT INTO contest_official (contest_id, name, role, user_id) VALUES (?, ?, ?, ?)",
            [contest_id, name, role, user_id]).lastrowid
        audit.append(db, actor, "contest.official", f"contest:{contest_id}",
                     {"name": name, "role": role})
    return row_id(official_id)


# ---------------------------------------------------------------------------
# The secretariat's edits, checked. Each refuses with a SetupError (a code and the
# numbers) before anything is written, and writes all of its change or none of it.
# ---------------------------------------------------------------------------

KINDS = ("founding", "renewal")
ASSEMBLIES = ("members", "delegates")
_HAN_PADDING = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def tidy_name(name: str) -> str:
    """A name as typed, trimmed, without the padding that lists put between Han
    characters (王　芳 → 王芳); other names keep their inner spaces."""
    return _HAN_PADDING.sub("", name.strip())


# Refusals about something that does not exist; every other setup refusal is a conflict.


def update_congress(db: Database, congress_id: int, changes: dict, actor: str) -> None:
    """Change the congress's name, kind, assembly, members count M, board visibility, place,
    issuing body, ballot stamp, or who elects 主席/副主席 (R13, `leaders_elected_by`)."""
    allowed = {"name", "kind", "assembly", "members", "live_board_public", "leaders_elected_by",
               "place", "issuing_body", "ballot_stamp"}
    changes = {key: value for key, value in changes.items() if key in allowed}
    with write_transaction(db):
        if db.execute("SELECT 1 FROM congress WHERE id = ?", [congress_id]).fetchone() is None:
            raise SetupError("congress_not_found", congress_id=congress_id)
        if "leaders_elected_by" in changes:
            check_leaders_setting(db, congress_id, changes["leaders_elected_by"])
        if changes:
            values = {key: (int(value) if key in ("live_board_public", "ballot_stamp") else value)
                      for key, value in changes.items()}
            assignments = ", ".join(f"{key} = ?" for key in values)
            db.execute(f"UPDATE congress SET {assignments} WHERE id = ?",  # noqa: S608 keys whitelisted
                       [*values.values(), congress_id])
        audit.append(db, actor, "congress.update", f"congress:{congress_id}", changes)


def import_roster(db: Database, congress_id: int, people: list[NewPerson], actor: str, *,
                  replace: bool = False, source: str = "") -> tuple[list[int], int]:
    """Add a checked roster file's people all together, or none of them; returns the new
    ids and how many were removed first.

    `replace` first removes the current roster; refused once anyone has checked in,
    because E and P must never change behind the secretariat's back.
    """
    with write_transaction(db):
        if db.execute("SELECT 1 FROM congress WHERE id = ?", [congress_id]).fetchone() is None:
            raise SetupError("congress_not_found", congress_id=congress_id)
        removed = 0
        if replace:
            present = db.execute("SELECT count(*) FROM attendance WHERE congress_id = ?",
                                 [congress_id]).fetchone()[0]
            if present:
                raise SetupError("roster_has_attendance", present=present)
            removed = db.execute("DELETE FROM person WHERE congress_id = ?", [congress_id]).rowcount
        ids = add_people(db, congress_id, people, actor)
        audit.append(db, actor, "roster.file", f"congress:{congress_id}",
                     {"source": source, "added": len(ids), "removed": removed, "replace": replace})
    return ids, removed


def find_by_card(db: Database, congress_id: int, card_code: str) -> int:
    """The person whose check-in card carries `card_code` (as a scanner types it)."""
    code = "".join(card_code.split()).upper()
    row = db.execute("SELECT id FROM person WHERE congress_id = ? AND card_code = ?",
                     [congress_id, code]).fetchone()
    if row is None:
        raise SetupError("card_unknown", card_code=code)
    return row[0]


def check_in_person(db: Database, congress_id: int, person_id: int, actor: str) -> bool:
    """Check in an entitled person of this congress; False when already present.

    A 保留会籍 member (not entitled, 条例 Art.4) is refused: P counts only voters.
    """
    row = db.execute("SELECT congress_id, entitled, name FROM person WHERE id = ?",
                     [person_id]).fetchone()
    if row is None or row["congress_id"] != congress_id:
        raise SetupError("person_not_found", person_id=person_id)
    if not row["entitled"]:
        raise SetupError("person_not_entitled", name=row["name"])
    return check_in(db, person_id, actor)


def undo_check_in_person(db: Database, congress_id: int, person_id: int, actor: str) -> None:
    row = db.execute("SELECT congress_id, name FROM person WHERE id = ?", [person_id]).fetchone()
    if row is None or row["congress_id"] != congress_id:
        raise SetupError("person_not_found", person_id=person_id)
    if not undo_check_in(db, person_id, actor):
        raise SetupError("not_checked_in", name=row["name"])


def _first_round(db: Database, contest_id: int):
    row = db.execute("SELECT c.id, c.congress_id, r.id AS round_id, r.state FROM contest c"
                     " JOIN round r ON r.contest_id = c.id AND r.number = 1 WHERE c.id = ?",
                     [contest_id]).fetchone()
    if row is None:
        raise SetupError("contest_not_found", contest_id=contest_id)
    return row


def _check_officials_not_candidates(db: Database, contest_id: int, names: list[str]) -> None:
    """R12: no scrutineer or teller of this contest may be one of its candidates."""
    from ..rules.officials import official_is_candidate

    for official in db.execute("SELECT name FROM contest_official WHERE contest_id = ?",
                               [contest_id]).fetchall():
        if official_is_candidate(official["name"], names):
            raise SetupError("official_is_candidate", name=official["name"])


def _check_candidate_notes(candidates: list[tuple[str, str]]) -> None:
    """Two candidates of one name must be told apart by their notes."""
    from ..rules import normalize_name

    seen: set[tuple[str, str]] = set()
    for name, note in candidates:
        key = (normalize_name(name), note.strip())
        if key in seen:
            raise SetupError("candidate_duplicate", name=name)
        seen.add(key)


def create_checked_contest(db: Database, congress_id: int, *, title: str, office: str,
                           method: str, seats: int, candidates: list[tuple[str, str]],
                           actor: str, rules: RuleSettings | None = None,
                           position: int = 0) -> int:
    """create_contest, after checking the congress exists and same-name candidates differ."""
    _check_candidate_notes(candidates)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM congress WHERE id = ?", [congress_id]).fetchone() is None:
            raise SetupError("congress_not_found", congress_id=congress_id)
        check_office(db, congress_id, office)  # R13: this body may elect this office
        return create_contest(db, congress_id, title=title, office=office, method=method,
                              seats=seats, candidates=candidates, actor=actor, rules=rules,
                              position=position)


def update_contest(db: Database, contest_id: int, changes: dict, actor: str) -> None:
    """Change a contest while its first round is still in draft (nothing printed or voted).

    `changes` may hold title, office, method, seats, position, rules (RuleSettings) and
    candidates: a list of (id or None, name, note). The list replaces the slate: listed ids
    stay (with their refs, renamed if changed), new ones are added, unlisted ones removed.
    """
    with write_transaction(db):
        contest = _first_round(db, contest_id)
        if contest["state"] != "draft":
            # A sealed first round says so: the people asking need to know it is final.
            raise SetupError("contest_sealed" if contest["state"] == "sealed" else "contest_not_draft")
        if "office" in changes:
                    check_office(db, contest["congress_id"], changes["office"])
        round_id = contest["round_id"]
        fields_ = {key: changes[key] for key in ("title", "office", "method", "seats", "position")
                   if key in changes}
        if "rules" in changes:
            fields_["rules_json"] = json.dumps(changes["rules"].as_dict())
        if fields_:
            assignments = ", ".join(f"{key} = ?" for key in fields_)
            db.execute(f"UPDATE contest SET {assignments} WHERE id = ?",  # noqa: S608 keys whitelisted
                       [*fields_.values(), contest_id])
        round_fields = {key: changes[key] for key in ("method", "seats") if key in changes}
        if round_fields:
            assignments = ", ".join(f"{key} = ?" for key in round_fields)
            db.execute(f"UPDATE round SET {assignments} WHERE id = ?",  # noqa: S608 keys whitelisted
                       [*round_fields.values(), round_id])
        if "candidates" in changes:
            _replace_candidates(db, contest_id, round_id, changes["candidates"])
        names = [row["name"] for row in db.execute(
            "SELECT name FROM candidate WHERE contest_id = ?", [contest_id]).fetchall()]
        _check_officials_not_candidates(db, contest_id, names)
        detail = {key: value for key, value in changes.items() if key not in ("rules", "candidates")}
        if "rules" in changes:
            detail["rules"] = changes["rules"].as_dict()
        if "candidates" in changes:
            detail["candidates"] = [[name, note] for _id, name, note in changes["candidates"]]
        audit.append(db, actor, "contest.update", f"contest:{contest_id}", detail)


def _replace_candidates(db: Database, contest_id: int, round_id: int,
                        candidates: list[tuple[int | None, str, str]]) -> None:
    _check_candidate_notes([(name, note) for _id, name, note in candidates])
    existing = {row["id"]: row["ref"] for row in db.execute(
        "SELECT id, ref FROM candidate WHERE contest_id = ?", [contest_id]).fetchall()}
    keep = {cid for cid, _name, _note in candidates if cid is not None}
    unknown = keep - existing.keys()
    if unknown:
        raise SetupError("candidate_not_found", candidate_id=min(unknown))
    for cid in existing.keys() - keep:
        db.execute("DELETE FROM round_candidate WHERE candidate_id = ?", [cid])
        db.execute("DELETE FROM candidate WHERE id = ?", [cid])
    # Refs are never reused within a contest, so a ref always means one person.
    used = [int(ref[1:]) for ref in existing.values() if ref[1:].isdigit()]
    next_ref = max(used, default=0) + 1
    for cid, name, note in candidates:
        if cid is None:
            cid = db.execute("INSERT INTO candidate (contest_id, ref, name, note) VALUES (?, ?, ?, ?)",
                             [contest_id, f"c{next_ref}", name, note]).lastrowid
            next_ref += 1
            db.execute("INSERT INTO round_candidate (round_id, candidate_id) VALUES (?, ?)",
                       [round_id, cid])
        else:
            db.execute("UPDATE candidate SET name = ?, note = ? WHERE id = ?", [name, note, cid])



def dismiss_official(db: Database, contest_id: int, official_id: int, actor: str) -> None:
    with write_transaction(db):
        row = db.execute("SELECT name, role FROM contest_official WHERE id = ? AND contest_id = ?",
                         [official_id, contest_id]).fetchone()
        if row is None:
            raise SetupError("official_not_found", official_id=official_id)
        db.execute("DELETE FROM contest_official WHERE id = ?", [official_id])
        audit.append(db, actor, "contest.official_removed", f"contest:{contest_id}",
                     {"name": row["name"], "role": row["role"]})
