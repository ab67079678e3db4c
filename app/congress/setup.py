"""Creating the congress, its roster, its contests (with round 1) and its users."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from ..rules import RuleSettings
from ..store import audit, write_transaction
from ..store.clock import now

ROLES = ("admin", "chief_scrutineer", "scrutineer", "teller")
OFFICES = ("committee", "audit_committee", "chair", "vice_chair", "standing_committee",
           "women_committee", "other")


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
                    actor: str, live_board_public: bool = True) -> int:
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO congress (name, kind, assembly, members, live_board_public, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", [name, kind, assembly, members, int(live_board_public), now()])
        congress_id = cursor.lastrowid
        audit.append(db, actor, "congress.create", f"congress:{congress_id}",
                     {"name": name, "kind": kind, "assembly": assembly, "members": members})
    return congress_id


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
            ids.append(cursor.lastrowid)
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
            [person_id, row[0], now()])
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
    return contest_id


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
    return user_id


def add_official(db: Database, contest_id: int, name: str, role: str, actor: str,
                 user_id: int | None = None) -> int:
    with write_transaction(db):
        official_id = db.execute(
            "INSERT INTO contest_official (contest_id, name, role, user_id) VALUES (?, ?, ?, ?)",
            [contest_id, name, role, user_id]).lastrowid
        audit.append(db, actor, "contest.official", f"contest:{contest_id}",
                     {"name": name, "role": role})
    return official_id
