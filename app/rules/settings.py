"""The settings of a contest (RULES.md §2): each local variant of a rule, with its default.

Every setting is recorded with the contest and printed on every report, so that a
result can always be re-derived from the record alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import RuleError

QUORUM_CHOICES = ("at_least_two_thirds", "more_than_two_thirds", "more_than_half",
                  "at_least_four_fifths", "more_than_four_fifths")
THRESHOLD_BASE_CHOICES = ("entitled", "present", "returned_ballots", "valid_ballots")
TIE_BREAK_CHOICES = ("revote", "fewest_no")
SHORTFALL_CHOICES = ("another_election", "reduce_seats", "vacant")
UNREADABLE_CHOICES = ("void_ballot", "count_as_abstain")

_CHOICES: dict[str, tuple[str, ...]] = {
    "quorum": QUORUM_CHOICES,
    "threshold_base": THRESHOLD_BASE_CHOICES,
    "tie_break": TIE_BREAK_CHOICES,
    "shortfall": SHORTFALL_CHOICES,
    "unreadable": UNREADABLE_CHOICES,
}


@dataclass(frozen=True)
class RuleSettings:
    """One contest's settings. The defaults are those of RULES.md."""

    quorum: str = "at_least_two_thirds"  # R1
    threshold_base: str = "entitled"  # R4
    differential_rate_percent: int = 5  # R7
    tie_break: str = "revote"  # R5
    shortfall: str = "another_election"  # R6
    unreadable: str = "void_ballot"  # R3
    write_in_needs_yes_mark: bool = True  # R3

    def as_dict(self) -> dict[str, Any]:
        """Every setting in force, in the order of the record format."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, where: str = "rules") -> RuleSettings:
        """Build settings from a (possibly partial) mapping; missing keys take defaults.

        Raises RuleError naming the offending key when a value is not allowed.
        """
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise RuleError(where, "must be an object")
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise RuleError(f"{where}.{key}", "unknown setting")
        for key, choices in _CHOICES.items():
            if key in data and data[key] not in choices:
                raise RuleError(f"{where}.{key}", f"must be one of {', '.join(choices)}")
        if "differential_rate_percent" in data:
            rate = data["differential_rate_percent"]
            if isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= 100:
                raise RuleError(f"{where}.differential_rate_percent",
                                "must be a whole number from 0 to 100")
        if "write_in_needs_yes_mark" in data and not isinstance(data["write_in_needs_yes_mark"], bool):
            raise RuleError(f"{where}.write_in_needs_yes_mark", "must be true or false")
        return cls(**data)
