"""R13: which body elects what (the congress, or a committee's first plenary), and the
checks setup runs on a body's contests and officials. Kept apart from `plenary` (which
starts a plenary through `setup`) so that `setup` can call these without an import circle."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..rules import normalize_name
from .refusal import SetupError

BODIES = ("congress", "committee_plenary", "audit_plenary")
LEADERS_ELECTED_BY = ("congress", "plenary")
PLENARY_OF_OFFICE = {"committee": "committee_plenary", "audit_committee": "audit_plenary"}
LEADER_OFFICES = ("chair", "vice_chair")
# What each kind of body may elect (R13; 章程 Art.27). The congress elects everything but
# the audit committee's chair; whether it elects the chair and vice-chairs is a setting.
OFFICES_OF_BODY = {
    "congress": ("committee", "audit_committee", "chair", "vice_chair", "standing_committee",
                 "women_committee", "other"),
    "committee_plenary": ("chair", "vice_chair", "standing_committee", "other"),
    "audit_plenary": ("audit_chair", "other"),
}


def body_of(db: Database, congress_id: int) -> dict[str, Any]:
    row = db.execute("SELECT id, name, parent_id, body, source_contest_id, leaders_elected_by"
                     " FROM congress WHERE id = ?", [congress_id]).fetchone()
    if row is None:
        raise SetupError("congress_not_found", congress_id=congress_id)
    return dict(row)



def check_office(db: Database, congress_id: int, office: str) -> None:
    """R13: may this body elect this office? A plenary elects only its own offices; the
    congress's setting decides whether 主席/副主席 are the congress's or the plenary's."""
    body = body_of(db, congress_id)
    if office not in OFFICES_OF_BODY.get(body["body"], ()):
        raise SetupError("office_not_of_body", office=office)
    if office in LEADER_OFFICES:
        setting = body["leaders_elected_by"] if body["parent_id"] is None else \
            body_of(db, body["parent_id"])["leaders_elected_by"]
        wanted = "congress" if body["body"] == "congress" else "plenary"
        if setting != wanted:
            raise SetupError("leaders_elected_elsewhere", office=office)


def check_leaders_setting(db: Database, congress_id: int, setting: str) -> None:
    """Changing who elects 主席/副主席 is refused once a contest for them exists on the
    other side (it would be left electing what it may not)."""
    if setting not in LEADERS_ELECTED_BY:
        raise SetupError("leaders_setting_unknown", setting=setting)
    body = body_of(db, congress_id)
    if body["parent_id"] is not None:
        raise SetupError("leaders_setting_of_plenary")
    other = [congress_id] if setting == "plenary" else \
        [row[0] for row in db.execute("SELECT id FROM congress WHERE parent_id = ?", [congress_id])]
    for body_id in other:
        if db.execute("SELECT 1 FROM contest WHERE congress_id = ? AND office IN ('chair', 'vice_chair')",
                      [body_id]).fetchone():
            raise SetupError("leaders_contest_exists")


def check_official_is_member(db: Database, contest_id: int, name: str) -> None:
    """R13: a plenary's scrutineers and tellers are members of the plenary."""
    row = db.execute("SELECT g.id, g.parent_id FROM contest c JOIN congress g ON g.id = c.congress_id"
                     " WHERE c.id = ?", [contest_id]).fetchone()
    if row is None or row["parent_id"] is None:
        return
    names = {normalize_name(r[0]) for r in db.execute("SELECT name FROM person WHERE congress_id = ?",
                                                      [row["id"]])}
    if normalize_name(name) not in names:
        raise SetupError("official_not_member", name=name)
