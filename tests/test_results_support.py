"""Helpers for the results tests (no tests here): a congress with one contest set up
exactly as a test needs it, an open round with printed serials, ballots recorded through
the recording area's own `record` (so the live tally is the real incremental one), and
I and R entered."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlite_utils import Database

from app.ballots.serials import new_serial
from app.congress.rounds import open_round
from app.congress.setup import (
    NewPerson,
    add_official,
    add_people,
    check_in,
    create_congress,
    create_contest,
)
from app.counting.record import Teller, record
from app.rules import RuleSettings
from app.store import write_transaction
from app.store.clock import now
from tests.conftest import DEMO_PASSWORD

OFFICIALS = (("总监票人甲", "chief_scrutineer"), ("监票人乙", "scrutineer"), ("计票人丙", "teller"))
SIGNATURES = [{"name": name, "role": role} for name, role in OFFICIALS]


@dataclass
class Round:
    db: Database
    key: str
    round_id: int
    contest_id: int
    congress_id: int
    refs: list[str]
    serials: list[str]
    used: int = 0
    recorded: list[str] = field(default_factory=list)

    def vote(self, marks: dict[str, str] | None = None, *, write_ins=(), invalid: bool = False,
             serial: str | None = None) -> str:
        """Record one ballot (the next unused serial unless one is given)."""
        if serial is None:
            serial = self.serials[self.used]
            self.used += 1
        record(self.db, self.round_id, serial, marks or {}, list(write_ins), invalid,
               "撕破" if invalid else None, Teller(None, "teller:test"), ballot_key=self.key)
        self.recorded.append(serial)
        return serial

    def votes(self, count: int, marks: dict[str, str]) -> None:
        for _ in range(count):
            self.vote(marks)

    def enter_counts(self, issued: int, returned: int) -> None:
        """I and R as the secretariat and the chief scrutineer enter them."""
        with write_transaction(self.db):
            self.db.execute("UPDATE round SET ballots_issued = ?, ballots_returned = ? WHERE id = ?",
                            [issued, returned, self.round_id])


def print_serials(db: Database, round_id: int, count: int) -> list[str]:
    serials = [new_serial() for _ in range(count)]
    with write_transaction(db):
        for serial in serials:
            db.execute("INSERT INTO ballot_serial (serial, round_id, code, state, batch, created_at)"
                       " VALUES (?, ?, ?, 'printed', 1, ?)", [serial, round_id, serial, now()])
    return serials


def make_round(db: Database, key: str, *, names: list[str], seats: int, entitled: int = 10,
               present: int | None = None, method: str = "differential", office: str = "committee",
               members: int = 100, rules: RuleSettings | None = None, serials: int | None = None,
               live_board_public: bool = True, title: str = "工会委员会委员") -> Round:
    """A congress of `entitled` voters (`present` checked in) with one contest, its round 1
    opened, and serials printed."""
    present = entitled if present is None else present
    congress_id = create_congress(db, name="测试工会会员代表大会", kind="renewal", assembly="delegates",
                                  members=members, actor="test", live_board_public=live_board_public)
    rng = random.Random(congress_id)
    people = add_people(db, congress_id, [NewPerson(name=f"代表{i:03d}{rng.randint(0, 9)}")
                                          for i in range(entitled)], "test")
    for person_id in people[:present]:
        check_in(db, person_id, "test")
    contest_id = create_contest(db, congress_id, title=title, office=office, method=method,
                                seats=seats, candidates=[(name, "") for name in names],
                                actor="test", rules=rules)
    for name, role in OFFICIALS:
        add_official(db, contest_id, name, role, "test")
    round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                          [contest_id]).fetchone()[0]
    open_round(db, round_id, "test")
    refs = [row[0] for row in db.execute(
        "SELECT c.ref FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ? ORDER BY c.id", [round_id])]
    return Round(db, key, round_id, contest_id, congress_id, refs,
                 print_serials(db, round_id, serials if serials is not None else present + 5))


def open_next(db: Database, key: str, round_id: int, count: int = 20) -> Round:
    """Open a draft round made by the next-round step and print its serials."""
    row = db.execute("SELECT r.contest_id, c.congress_id FROM round r JOIN contest c"
                     " ON c.id = r.contest_id WHERE r.id = ?", [round_id]).fetchone()
    open_round(db, round_id, "test")
    refs = [r[0] for r in db.execute(
        "SELECT c.ref FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ? ORDER BY c.id", [round_id])]
    return Round(db, key, round_id, row["contest_id"], row["congress_id"], refs,
                 print_serials(db, round_id, count))


USERS = {"admin": "admin", "chief": "chief_scrutineer", "scrutineer": "scrutineer",
         "teller1": "teller"}


def add_users(db: Database) -> None:
    """The sign-in accounts the results tests need. A cheap password hash keeps the tests
    fast (sign-in checks it with the same werkzeug function as scrypt's)."""
    from werkzeug.security import generate_password_hash

    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with write_transaction(db):
        for username, role in USERS.items():
            db.execute("INSERT INTO app_user (username, display_name, password_hash, role, created_at)"
                       " VALUES (?, ?, ?, ?, ?)", [username, username, password, role, now()])


PASSWORD = DEMO_PASSWORD
