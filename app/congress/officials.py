"""Officials are people (R12): each chief scrutineer, scrutineer and teller of a contest is
a person of its congress's roster, optionally linked to the account that acts for them.
An account records or decides only the ballots of contests it is appointed to.

`may_act_on_round` is the one appointment check; the counting API calls it before a
ballot is recorded or decided (kept small so that it can move to a permissions module).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..roles import CONTEST_OFFICES
from ..rules import sort_by_name
from ..rules.officials import official_is_candidate
from ..store import audit, write_transaction
from .offices import check_official_is_member
from .refusal import SetupError

# Which appointments let an account of a role act on a round: a teller records, a
# scrutineer decides, the chief scrutineer does both (and seals).
ACTING_DUTIES = {
    "teller": ("teller",),
    "scrutineer": ("scrutineer", "chief_scrutineer"),
    "chief_scrutineer": ("chief_scrutineer", "scrutineer"),
}


def _roster_person(db: Database, congress_id: int, person_id: int | None,
                   name: str | None) -> dict[str, Any]:
    """The roster person meant: by id, or by a name that only one person bears."""
    if person_id is not None:
        row = db.execute("SELECT id, name, unit FROM person WHERE id = ? AND congress_id = ?",
                         [person_id, congress_id]).fetchone()
        if row is None:
            raise SetupError("official_not_on_roster", name="")
        return dict(row)
    wanted = "".join((name or "").split())
    if not wanted:
        raise SetupError("official_person_required")
    rows = [dict(row) for row in db.execute(
        "SELECT id, name, unit FROM person WHERE congress_id = ?"
        " AND replace(replace(name, ' ', ''), '\u3000', '') = ?", [congress_id, wanted])]
    if not rows:
        raise SetupError("official_not_on_roster", name=wanted)
    if len(rows) > 1:
        raise SetupError("official_name_ambiguous", name=wanted,
                         units="、".join(row["unit"] or "—" for row in rows))
    return rows[0]


def appoint_person(db: Database, contest_id: int, role: str, actor: str, *,
                   person_id: int | None = None, name: str | None = None,
                   user_id: int | None = None) -> int:
    """Appoint a roster person to a duty in a contest; refused when they are not on the
    congress's roster, already hold a duty there, stand in the contest (R12), or the
    linked account's role differs from the duty."""
    if role not in CONTEST_OFFICES:
        raise SetupError("official_role_unknown", role=role)
    with write_transaction(db):
        contest = db.execute("SELECT id, congress_id FROM contest WHERE id = ?", [contest_id]).fetchone()
        if contest is None:
            raise SetupError("contest_not_found", contest_id=contest_id)
        if name is not None:
            check_official_is_member(db, contest_id, name)  # R13: a plenary's are its members
        person = _roster_person(db, contest["congress_id"], person_id, name)
        candidates = [row[0] for row in db.execute(
            "SELECT name FROM candidate WHERE contest_id = ?", [contest_id])]
        if official_is_candidate(person["name"], candidates):
            raise SetupError("official_is_candidate", name=person["name"])
        if db.execute("SELECT 1 FROM contest_official WHERE contest_id = ? AND person_id = ?",
                      [contest_id, person["id"]]).fetchone():
            raise SetupError("official_already", name=person["name"])
        if user_id is not None:
            user = db.execute("SELECT role FROM app_user WHERE id = ?", [user_id]).fetchone()
            if user is None:
                raise SetupError("user_not_found", user_id=user_id)
            if user["role"] != role:
                raise SetupError("official_user_role", user_role=user["role"], role=role)
        official_id = db.execute(
            "INSERT INTO contest_official (contest_id, name, role, user_id, person_id)"
            " VALUES (?, ?, ?, ?, ?)", [contest_id, person["name"], role, user_id, person["id"]]).lastrowid
        audit.append(db, actor, "contest.official", f"contest:{contest_id}",
                     {"name": person["name"], "role": role})
    assert official_id is not None  # an INSERT always has one
    return official_id


def may_act_on_round(db: Database, user_id: int, user_role: str, round_id: int) -> bool:
    """True when this account is appointed to the round's contest in a duty that lets its
    role record (teller) or decide (scrutineers). Other roles never act on ballots."""
    duties = ACTING_DUTIES.get(user_role)
    if not duties:
        return False
    marks = ",".join("?" * len(duties))
    row = db.execute(
        "SELECT 1 FROM contest_official o JOIN round r ON r.contest_id = o.contest_id"
        f" WHERE r.id = ? AND o.user_id = ? AND o.role IN ({marks}) LIMIT 1",
        [round_id, user_id, *duties]).fetchone()
    return row is not None


def contest_title_of_round(db: Database, round_id: int) -> str:
    row = db.execute("SELECT c.title FROM round r JOIN contest c ON c.id = r.contest_id WHERE r.id = ?",
                     [round_id]).fetchone()
    return row[0] if row else ""


ROLE_ORDER = {"chief_scrutineer": 0, "scrutineer": 1, "teller": 2}


def officials_by_duty(db: Database, contest_id: int) -> list[dict[str, Any]]:
    """A contest's officials, name and duty, chief scrutineer first then scrutineers then
    tellers (each in the order they were appointed): who signs when the round is sealed."""
    return [dict(row) for row in db.execute(
        "SELECT name, role FROM contest_official WHERE contest_id = ? ORDER BY"
        " CASE role WHEN 'chief_scrutineer' THEN 0 WHEN 'scrutineer' THEN 1 ELSE 2 END, id",
        [contest_id])]


def proposed_officials(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """For the congress to approve: per contest, its officials by duty (R9 order within a
    duty), each with their unit from the roster."""
    contests = []
    for contest in db.execute("SELECT id, title FROM contest WHERE congress_id = ? ORDER BY position, id",
                              [congress_id]).fetchall():
        rows = [dict(row) for row in db.execute(
            "SELECT o.id, o.name, o.role, coalesce(p.unit, '') AS unit, o.user_id FROM contest_official o"
            " LEFT JOIN person p ON p.id = o.person_id WHERE o.contest_id = ?", [contest["id"]])]
        rows = sort_by_name(rows, lambda row: row["name"], lambda row: (row["id"],))
        rows.sort(key=lambda row: ROLE_ORDER.get(row["role"], 9))
        contests.append({"id": contest["id"], "title": contest["title"], "officials": rows})
    return contests


def accounts_for_duties(db: Database) -> list[dict[str, Any]]:
    """Active accounts that can act for an official, for the secretariat's choice."""
    return [dict(row) for row in db.execute(
        "SELECT id, username, display_name, role FROM app_user WHERE active = 1"
        " AND role IN ('chief_scrutineer', 'scrutineer', 'teller') ORDER BY role, username")]
