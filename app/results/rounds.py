"""One round as results see it: its row, its contest, its slate, as `app.rules` values."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..rules import Candidate, Contest, Result, RuleSettings

register({
    "round_not_found": {"zh-CN": "找不到该轮投票，请刷新页面。",
                        "en": "That round does not exist; reload the page."},
    "contest_not_found": {"zh-CN": "找不到该选举事项，请刷新页面。",
                          "en": "That contest does not exist; reload the page."},
    "contest_round_not_found": {"zh-CN": "该选举事项没有第 {number} 轮投票。",
                                "en": "That contest has no round {number}."},
})


@dataclass(frozen=True)
class RoundInfo:
    id: int
    contest_id: int
    congress_id: int
    number: int
    kind: str
    parent_round_id: int | None
    method: str
    seats: int
    state: str
    entitled: int | None
    present: int | None
    issued: int | None
    returned: int | None
    opened_at: str | None
    sealed_at: str | None
    result: Result | None  # the sealed result (JSON in the database)
    digest: str | None
    title: str
    office: str
    members: int
    live_board_public: bool
    rules: RuleSettings
    candidates: tuple[Candidate, ...]

    def contest(self, *, issued: int | None = None, returned: int | None = None) -> Contest:
        """The round as the rules see it; `issued`/`returned` stand in for I and R while
        they have not been entered yet (the live board), never at sealing time."""
        return Contest(title=self.title, method=self.method, seats=self.seats,
                       candidates=self.candidates, entitled=self.entitled or 0,
                       present=self.present or 0,
                       ballots_issued=self.issued if self.issued is not None else (issued or 0),
                       ballots_returned=(self.returned if self.returned is not None
                                         else (returned or 0)),
                       # R8 is about the committee's size; other offices carry no M.
                       members=self.members if self.office == "committee" else None,
                       rules=self.rules)


_ROUND_SQL = (
    "SELECT r.*, c.title, c.office, c.rules_json, c.congress_id, g.members, g.live_board_public"
    " FROM round r JOIN contest c ON c.id = r.contest_id JOIN congress g ON g.id = c.congress_id"
    " WHERE r.id = ?")


def load_round(db: Database, round_id: int) -> RoundInfo:
    row = db.execute(_ROUND_SQL, [round_id]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "round_not_found", round_id=round_id)
    candidates = tuple(
        Candidate(c["ref"], c["name"], c["note"] or None) for c in db.execute(
            "SELECT c.ref, c.name, c.note FROM round_candidate rc JOIN candidate c"
            " ON c.id = rc.candidate_id WHERE rc.round_id = ? ORDER BY c.id", [round_id]))
    return RoundInfo(
        id=row["id"], contest_id=row["contest_id"], congress_id=row["congress_id"],
        number=row["number"], kind=row["kind"], parent_round_id=row["parent_round_id"],
        method=row["method"], seats=row["seats"], state=row["state"], entitled=row["entitled"],
        present=row["present"], issued=row["ballots_issued"], returned=row["ballots_returned"],
        opened_at=row["opened_at"], sealed_at=row["sealed_at"],
        result=json.loads(row["result_json"]) if row["result_json"] else None,
        digest=row["digest"], title=row["title"], office=row["office"], members=row["members"],
        live_board_public=bool(row["live_board_public"]),
        rules=RuleSettings.from_dict(json.loads(row["rules_json"])), candidates=candidates)


def round_of_contest(db: Database, contest_id: int, number: int) -> int:
    """The id of round `number` of a contest (for `export CONTEST_ID --round K`)."""
    if db.execute("SELECT 1 FROM contest WHERE id = ?", [contest_id]).fetchone() is None:
        raise AppError(Kind.NOT_FOUND, "contest_not_found", contest_id=contest_id)
    row = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = ?",
                     [contest_id, number]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "contest_round_not_found", contest_id=contest_id, number=number)
    return row[0]


def congress_rounds(db: Database, congress_id: int) -> list[int]:
    """Every round of the congress, contest by contest (their set order), then by number."""
    return [row[0] for row in db.execute(
        "SELECT r.id FROM round r JOIN contest c ON c.id = r.contest_id WHERE c.congress_id = ?"
        " ORDER BY c.position, c.id, r.number", [congress_id])]
