"""The interchange format (shared/spec/election-record.md).

`union-ballot-record/1` is one round of one contest with every ballot as counted;
`union-ballot-result/1` is what the rules make of it. `load_record` checks a record
and names the first problem by its path (`ballots[17].marks.c9: unknown candidate id`);
`recount` turns a record into its result with the same code the live tally uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .rules import (
    MARKS,
    Ballot,
    Candidate,
    Contest,
    Result,
    RuleError,
    RuleSettings,
    WriteIn,
    count_ballots,
    decide,
)

RECORD_FORMAT = "union-ballot-record/1"

_CONTEST_KEYS = {"title", "method", "seats", "candidates", "entitled", "present",
                 "ballots_issued", "ballots_returned", "members", "rules"}
_BALLOT_KEYS = frozenset({"id", "marks", "write_ins", "invalid"})


def _require(mapping: dict, key: str, where: str) -> Any:
    if key not in mapping:
        raise RuleError(f"{where}.{key}" if where else key, "missing required field")
    return mapping[key]


def _whole(value: Any, where: str, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(where, "must be a whole number")
    if value < least:
        raise RuleError(where, f"must be at least {least}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleError(where, "must be a non-empty string")
    _unicode(value, where)
    return value


def _unicode(value: str, where: str) -> None:
    """A JSON string may hold an escaped lone surrogate (\\ud800), which is no character."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RuleError(where, "contains a lone surrogate (not a character)") from None


def _object(value: Any, where: str, allowed: set[str] | frozenset[str]) -> dict:
    if not isinstance(value, dict):
        raise RuleError(where, "must be an object")
    for key in value:
        if key not in allowed:
            raise RuleError(f"{where}.{key}" if where else key, "unknown field")
    return value


def load_contest(data: Any, where: str = "contest") -> Contest:
    """Check and build the contest part of a record."""
    data = _object(data, where, _CONTEST_KEYS)
    method = _require(data, "method", where)
    if method not in ("differential", "equal"):
        raise RuleError(f"{where}.method", "must be differential or equal")
    raw_candidates = _require(data, "candidates", where)
    if not isinstance(raw_candidates, list):
        raise RuleError(f"{where}.candidates", "must be a list")
    candidates = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_candidates):
        here = f"{where}.candidates[{index}]"
        raw = _object(raw, here, {"id", "name", "note"})
        ref = _text(_require(raw, "id", here), f"{here}.id")
        if ref in seen:
            raise RuleError(f"{here}.id", f"duplicate candidate id {ref}")
        seen.add(ref)
        note = raw.get("note")
        if note is not None and not isinstance(note, str):
            raise RuleError(f"{here}.note", "must be a string")
        if note:
            _unicode(note, f"{here}.note")
        candidates.append(Candidate(ref, _text(_require(raw, "name", here), f"{here}.name"), note))
    entitled = _whole(_require(data, "entitled", where), f"{where}.entitled", 1)
    present = _whole(_require(data, "present", where), f"{where}.present")
    if present > entitled:
        raise RuleError(f"{where}.present", f"{present} present is more than {entitled} entitled")
    members = data.get("members")
    return Contest(
        title=_text(_require(data, "title", where), f"{where}.title"),
        method=method,
        seats=_whole(_require(data, "seats", where), f"{where}.seats", 1),
        candidates=tuple(candidates),
        entitled=entitled,
        present=present,
        ballots_issued=_whole(_require(data, "ballots_issued", where), f"{where}.ballots_issued"),
        ballots_returned=_whole(_require(data, "ballots_returned", where),
                                f"{where}.ballots_returned"),
        members=None if members is None else _whole(members, f"{where}.members", 1),
        rules=RuleSettings.from_dict(data.get("rules"), f"{where}.rules"),
    )


def load_ballots(raw_ballots: Any, contest: Contest) -> list[Ballot]:
    """Check and build the ballots of a record; the first problem is raised with its path."""
    if not isinstance(raw_ballots, list):
        raise RuleError("ballots", "must be a list")
    refs = frozenset(candidate.ref for candidate in contest.candidates)
    seen: set[str] = set()
    ballots = []
    for index, raw in enumerate(raw_ballots):
        here = f"ballots[{index}]"
        if not isinstance(raw, dict) or not _BALLOT_KEYS.issuperset(raw):
            _object(raw, here, _BALLOT_KEYS)
        ballot_id = raw.get("id")
        if not isinstance(ballot_id, str) or not ballot_id:
            raise RuleError(f"{here}.id", "missing required field" if ballot_id is None
                            else "must be a non-empty string")
        if ballot_id in seen:
            raise RuleError(f"{here}.id", f"duplicate ballot id {ballot_id}")
        if not ballot_id.isascii():
            _unicode(ballot_id, f"{here}.id")
        seen.add(ballot_id)
        marks = _require(raw, "marks", here)
        # Whole-ballot checks in C first; locate the culprit only when one fails.
        if not isinstance(marks, dict) or not refs.issuperset(marks) or not MARKS.issuperset(marks.values()):
            _locate_mark_problem(marks, refs, f"{here}.marks")
        write_ins: tuple[WriteIn, ...] = ()
        if "write_ins" in raw:
            write_ins = _load_write_ins(raw["write_ins"], f"{here}.write_ins")
        invalid = raw.get("invalid", False)
        if not isinstance(invalid, bool):
            raise RuleError(f"{here}.invalid", "must be true or false")
        ballots.append(Ballot(ballot_id, marks, write_ins, invalid))
    return ballots


def _locate_mark_problem(marks: Any, refs: frozenset[str], where: str) -> None:
    if not isinstance(marks, dict):
        raise RuleError(where, "must be an object")
    for ref, mark in marks.items():
        if ref not in refs:
            raise RuleError(f"{where}.{ref}", "unknown candidate id")
        if mark not in MARKS:
            raise RuleError(f"{where}.{ref}",
                            f"mark {mark!r} is not one of yes, no, abstain, unreadable")


def _load_write_ins(raw: Any, where: str) -> tuple[WriteIn, ...]:
    if not isinstance(raw, list):
        raise RuleError(where, "must be a list")
    write_ins = []
    for index, item in enumerate(raw):
        here = f"{where}[{index}]"
        item = _object(item, here, {"name", "mark"})
        name = _text(_require(item, "name", here), f"{here}.name")
        mark = _require(item, "mark", here)  # the spec requires it; never assume approve
        if not isinstance(mark, str) or mark not in ("yes", "none"):
            raise RuleError(f"{here}.mark", f"mark {mark!r} is not one of yes, none")
        write_ins.append(WriteIn(name, mark))
    return tuple(write_ins)


def load_record(data: Any) -> tuple[Contest, list[Ballot]]:
    """Check a parsed record and return its contest and ballots."""
    data = _object(data, "", {"format", "contest", "ballots"})
    if _require(data, "format", "") != RECORD_FORMAT:
        raise RuleError("format", f"expected {RECORD_FORMAT}")
    contest = load_contest(_require(data, "contest", ""))
    return contest, load_ballots(_require(data, "ballots", ""), contest)


MAX_INTEGER_DIGITS = 15  # every whole number in a record is a count; 10^15 is beyond any union


class _DuplicateKeys(dict):
    """An object of the record in which `key` occurred more than once."""

    key: str


def _mark_duplicate(pairs: list[tuple[str, Any]], data: dict) -> _DuplicateKeys:
    seen: set[str] = set()
    marked = _DuplicateKeys(data)
    for key, _value in pairs:
        if key in seen:
            marked.key = key
            break
        seen.add(key)
    return marked


def _path_of_duplicate(data: Any) -> tuple[str, str]:
    """Where the first object with a duplicated key is, as a record path; iterative (the
    nesting depth is only bounded by the JSON parser's own limit)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, _DuplicateKeys):
            return where or "record", value.key
        if isinstance(value, dict):
            items = [(f"{where}.{key}" if where else str(key), child) for key, child in value.items()]
        elif isinstance(value, list):
            items = [(f"{where}[{index}]", child) for index, child in enumerate(value)]
        else:
            continue
        stack.extend(reversed(items))
    raise AssertionError("a duplicate key was seen but not found again")


def parse_json(text: str | bytes) -> Any:
    """Parse a record's JSON, refusing what `json.loads` would take silently or crash on:
    duplicate keys, whole numbers longer than MAX_INTEGER_DIGITS, nesting deeper than the
    parser's limit. Raises RuleError naming the problem and where."""
    duplicates: list[bool] = []

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        # JSON lets a key occur twice and json.loads keeps the last silently; a record must
        # not ({"c1": "no", "c1": "yes"} would count whichever the reader happens to keep).
        # Runs once per object (200,000 times in a large record): keep it this small.
        data = dict(pairs)
        if len(data) != len(pairs):
            duplicates.append(True)
            return _mark_duplicate(pairs, data)
        return data

    def bounded_int(digits: str) -> int:
        if len(digits) <= MAX_INTEGER_DIGITS:
            return int(digits)
        if isinstance(text, str):
            where = f"record (at character {text.find(digits)})"
        else:
            where = f"record (at byte {text.find(digits.encode())})"
        raise RuleError(where, f"a number of {len(digits.lstrip('-'))} digits (at most {MAX_INTEGER_DIGITS})")

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_int=bounded_int)
    except json.JSONDecodeError as error:
        raise RuleError("record", f"not valid JSON ({error})") from None
    except UnicodeDecodeError as error:
        raise RuleError("record", f"not UTF-8 text (byte {error.start}: {error.reason})") from None
    except RecursionError:
        raise RuleError("record", "JSON nested too deeply (a record needs 5 levels)") from None
    if duplicates:
        where, key = _path_of_duplicate(data)
        raise RuleError(where, f"duplicate key {key}")
    return data


def parse_record(text: str | bytes) -> tuple[Contest, list[Ballot]]:
    """Parse and check a record's JSON text."""
    return load_record(parse_json(text))


def write_in_names(ballots: Iterable[Ballot]) -> list[str]:
    """Every distinct written-in name, for the R9 report of characters without stroke data."""
    names: dict[str, None] = {}
    for ballot in ballots:
        for write_in in ballot.write_ins:
            names.setdefault(write_in.name, None)
    return list(names)


def recount(contest: Contest, ballots: Iterable[Ballot]) -> Result:
    """The `union-ballot-result/1` of a record: the same rules code as the live tally."""
    return decide(contest, count_ballots(contest, ballots))


def dump_contest(contest: Contest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": contest.title,
        "method": contest.method,
        "seats": contest.seats,
        "candidates": [{"id": c.ref, "name": c.name, **({"note": c.note} if c.note else {})}
                       for c in contest.candidates],
        "entitled": contest.entitled,
        "present": contest.present,
        "ballots_issued": contest.ballots_issued,
        "ballots_returned": contest.ballots_returned,
    }
    if contest.members is not None:
        data["members"] = contest.members
    data["rules"] = contest.rules.as_dict()
    return data


def dump_ballot(ballot: Ballot) -> dict[str, Any]:
    # Abstentions are left out: the format reads a missing candidate as abstain, and
    # records of 100,000 ballots stay half the size.
    data: dict[str, Any] = {"id": ballot.id,
                            "marks": {ref: mark for ref, mark in ballot.marks.items() if mark != "abstain"}}
    if ballot.write_ins:
        data["write_ins"] = [{"name": w.name, "mark": w.mark} for w in ballot.write_ins]
    if ballot.invalid:
        data["invalid"] = True
    return data


def dump_record(contest: Contest, ballots: Iterable[Ballot]) -> dict[str, Any]:
    """A `union-ballot-record/1` document; ballots sorted by id so the file does not
    reveal the order in which they were scanned."""
    return {"format": RECORD_FORMAT, "contest": dump_contest(contest),
            "ballots": [dump_ballot(b) for b in sorted(ballots, key=lambda b: b.id)]}
