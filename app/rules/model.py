"""Plain values the rules work on: a contest as printed, and one ballot as read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .settings import RuleSettings

Mark = Literal["yes", "no", "abstain", "unreadable"]
MARKS: frozenset[str] = frozenset(("yes", "no", "abstain", "unreadable"))
WRITE_IN_MARKS: frozenset[str] = frozenset(("yes", "none"))


@dataclass(frozen=True)
class Candidate:
    """A printed candidate. Names need not be unique; `note` tells two people apart."""

    ref: str
    name: str
    note: str | None = None


@dataclass(frozen=True)
class WriteIn:
    """A name written in (另选他人), with the mark in its approve box (`yes` or `none`)."""

    name: str
    mark: str = "yes"


@dataclass(frozen=True)
class Ballot:
    """One paper ballot as the tellers confirmed it."""

    id: str
    marks: Mapping[str, str] = field(default_factory=dict)
    write_ins: tuple[WriteIn, ...] = ()
    invalid: bool = False  # declared invalid on its face by the tellers (R3)


@dataclass(frozen=True)
class Contest:
    """One round of one contest: the slate, the counts E, P, I, R, and the settings."""

    title: str
    method: str  # "differential" (差额) or "equal" (等额), R7
    seats: int  # S
    candidates: tuple[Candidate, ...]
    entitled: int  # E
    present: int  # P
    ballots_issued: int  # I
    ballots_returned: int  # R
    members: int | None = None  # M, for the size check R8
    rules: RuleSettings = field(default_factory=RuleSettings)
