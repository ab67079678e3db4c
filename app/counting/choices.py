"""What a teller (or a scrutineer) says one paper ballot carries, checked against the
round's slate, and its canonical form: two readings of a ballot are "the same choices"
exactly when their canonical forms are equal."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..ballots.layout import MAX_WRITE_INS
from ..errors import AppError, Kind
from ..rules import MARKS, Ballot, WriteIn, normalize_name
from .context import RoundContext

WRITE_IN_MARKS = ("yes", "none")
MAX_NAME = 40
MAX_REASON = 200


@dataclass(frozen=True)
class Choices:
    marks: dict[str, str]  # every candidate of the round, abstain where nothing was marked
    write_ins: tuple[WriteIn, ...]
    invalid: bool
    invalid_reason: str

    def ballot(self, serial: str) -> Ballot:
        return Ballot(serial, self.marks, self.write_ins, self.invalid)

    def canonical(self) -> str:
        """Equal for two readings that count the same. A sheet declared invalid counts the
        same whatever else was read; the tellers' wording of the reason does not matter;
        abstain is the absence of a mark; write-ins compare by name without white space."""
        if self.invalid:
            return '{"invalid":true}'
        marks = sorted((ref, mark) for ref, mark in self.marks.items() if mark != "abstain")
        write_ins = sorted((normalize_name(w.name), w.mark) for w in self.write_ins)
        return json.dumps({"marks": marks, "write_ins": write_ins}, ensure_ascii=False)

    def marks_json(self) -> str:
        return json.dumps(self.marks, ensure_ascii=False, sort_keys=True)

    def write_ins_json(self) -> str:
        return json.dumps([{"name": w.name, "mark": w.mark} for w in self.write_ins], ensure_ascii=False)

    def as_dict(self) -> dict[str, Any]:
        return {"marks": dict(self.marks), "write_ins": [{"name": w.name, "mark": w.mark}
                                                          for w in self.write_ins],
                "invalid": self.invalid, "invalid_reason": self.invalid_reason}


def check_choices(ctx: RoundContext, marks: Mapping[str, Any] | None,
                  write_ins: Iterable[Mapping[str, Any]] | None, invalid: bool,
                  invalid_reason: str | None) -> Choices:
    """Refuse (4xx) a candidate that is not on this round's ballot, a mark that is not a
    mark, a malformed write-in, or a sheet declared invalid without a reason."""
    refs = [candidate.ref for candidate in ctx.contest.candidates]
    full = dict.fromkeys(refs, "abstain")
    for ref, mark in (marks or {}).items():
        if ref not in full:
            raise AppError(Kind.INVALID, "unknown_candidate", "counting_unknown_candidate", ref=ref)
        if mark not in MARKS:
            raise AppError(Kind.INVALID, "bad_mark", "counting_bad_mark", ref=ref, mark=mark)
        full[ref] = mark
    rows = []
    for index, item in enumerate(write_ins or [], start=1):
        name = str(item.get("name") or "").strip()
        mark = item.get("mark", "yes")
        if mark not in WRITE_IN_MARKS:
            raise AppError(Kind.INVALID, "bad_write_in", "counting_bad_write_in", index=index,
                           problem=f"mark {mark!r} ∉ (yes, none)")
        if len(name) > MAX_NAME:
            raise AppError(Kind.INVALID, "bad_write_in", "counting_bad_write_in", index=index,
                           problem=f"name longer than {MAX_NAME}")
        if not normalize_name(name) and mark == "none":
            continue  # an empty row: nothing written, nothing marked
        rows.append(WriteIn(name, mark))
    if len(rows) > MAX_WRITE_INS:
        raise AppError(Kind.INVALID, "too_many_write_ins", "counting_too_many_write_ins", limit=MAX_WRITE_INS)
    reason = (invalid_reason or "").strip()[:MAX_REASON]
    if invalid and not reason:
        raise AppError(Kind.INVALID, "invalid_reason_required", "counting_invalid_reason_required")
    return Choices(full, tuple(rows), bool(invalid), reason if invalid else "")


def stored_choices(row: Mapping[str, Any]) -> Choices:
    """A version as stored in `ballot` or `ballot_submission`."""
    write_ins = tuple(WriteIn(w["name"], w.get("mark", "yes"))
                      for w in json.loads(row["write_ins_json"] or "[]"))
    return Choices(json.loads(row["marks_json"]), write_ins, bool(row["invalid"]),
                   row["invalid_reason"] or "")
