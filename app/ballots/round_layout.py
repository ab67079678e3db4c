"""The layout of one round's ballot, built from the database: the same dict is printed
(app/ballots/pdf.py) and served as JSON (GET /api/rounds/<id>/layout) for the photo
reader and the tablet, so the two can never differ.

Candidates are in surname-stroke order (R9, app.rules.sort_by_name); two people with the
same name keep a fixed order by their note, then their reference.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..rules import sort_by_name
from .layout import MAX_CANDIDATES, MAX_WRITE_INS, Entry, Layout, RoundLayout, ballot_layout

register({
    "ballots.layout_changed": {
        "zh-CN": "选票 {serial} 印制时的版式与本轮现在的版式不同，无法按图识读："
                 "请改用扫码或输入编号，由计票人人工录入。",
        "en": "Ballot {serial} was printed with another layout than this round has now, so its "
              "photo cannot be read: scan or type its code and enter the marks by hand."},
    "ballots.round_not_found": {"zh-CN": "找不到该轮投票。",
                                "en": "That round does not exist."},
    "ballots.contest_not_found": {"zh-CN": "找不到该选举事项（可能已被删除）。",
                                  "en": "That contest does not exist (perhaps removed)."},
    "ballots.layout_impossible": {
        "zh-CN": "该轮选票无法排版：候选人 {candidates} 名（一张选票可容纳 1 至 {max} 名）。",
        "en": "This round's ballot cannot be laid out: {candidates} candidates "
              "(a ballot holds 1 to {max})."},
})

# How the printed round label names the kind of round (R5 re-vote, R6 another election,
# R1/R2 repeat).
KIND_LABELS = {"first": "", "revote": "（再次投票）", "another_election": "（另行选举）",
               "repeat": "（重新选举）"}


@dataclass(frozen=True)
class RoundRow:
    round_id: int
    contest_id: int
    congress_id: int
    number: int
    kind: str
    state: str
    seats: int
    title: str


def load_round(db: Database, round_id: int) -> RoundRow:
    """The round with its contest's title; a 404 AppError when there is no such round."""
    row = db.execute(
        "SELECT r.id, r.contest_id, c.congress_id, r.number, r.kind, r.state, r.seats, c.title"
        " FROM round r JOIN contest c ON c.id = r.contest_id WHERE r.id = ?", [round_id]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "round_not_found", "ballots.round_not_found", round_id=round_id)
    return RoundRow(*tuple(row))


def round_label(number: int, kind: str) -> str:
    return f"第 {number} 轮投票{KIND_LABELS.get(kind, '')}"


def write_in_rows(seats: int, kind: str) -> int:
    """Default write-in rows: min(5, seats); none on an R5 re-vote, which is among the tied only."""
    return 0 if kind == "revote" else min(MAX_WRITE_INS, seats)


def round_entries(db: Database, round_id: int) -> list[Entry]:
    """The round's candidates as layout entries, in R9 stroke order."""
    rows = db.execute(
        "SELECT c.ref, c.name, c.note FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ?", [round_id]).fetchall()
    entries = [Entry(ref=row["ref"], name=row["name"], note=row["note"] or "") for row in rows]
    return sort_by_name(entries, lambda entry: entry.name, lambda entry: (entry.note, entry.ref))


def round_layout(db: Database, round_id: int) -> RoundLayout:
    """The ballot layout of a round (mm), with `contest_id` and `round_id` added."""
    row = load_round(db, round_id)
    entries = round_entries(db, round_id)
    if not 1 <= len(entries) <= MAX_CANDIDATES:
        raise AppError(Kind.CONFLICT, "layout_impossible", "ballots.layout_impossible",
                       candidates=len(entries), max=MAX_CANDIDATES)
    congress = db.execute("SELECT * FROM congress WHERE id = ?", [row.congress_id]).fetchone()
    layout = ballot_layout(title=row.title, round_label=round_label(row.number, row.kind),
                           seats=row.seats, entries=entries,
                           write_in_rows=write_in_rows(row.seats, row.kind),
                           congress=congress["name"],
                           stamp=bool(dict(congress).get("ballot_stamp", 0)))
    return RoundLayout(**layout, contest_id=row.contest_id, round_id=row.round_id)


def layout_digest(layout: Layout) -> str:
    """SHA-256 of the layout in a canonical JSON form, recorded with every printed batch."""
    text = json.dumps(layout, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def printed_layout(db: Database, round_id: int, serial: str) -> RoundLayout:
    """The round's layout for reading the photo of ballot `serial`, refused when the
    sheet was printed from another layout (its batch recorded a different digest): the
    boxes would not be where the reader looks. A batch recorded without a digest (serials
    issued, not printed here) is read with the round's layout."""
    layout = round_layout(db, round_id)
    row = db.execute("SELECT b.layout_sha256 FROM ballot_serial s JOIN ballot_batch b"
                     " ON b.round_id = s.round_id AND b.batch = s.batch"
                     " WHERE s.serial = ? AND s.round_id = ?", [serial, round_id]).fetchone()
    if row is not None and row[0] and row[0] != layout_digest(layout):
        raise AppError(Kind.CONFLICT, "layout_changed", "ballots.layout_changed", serial=serial)
    return layout
