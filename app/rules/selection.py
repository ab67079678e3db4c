"""R5 Selection and ties; R6 Shortfall.

R5 ("获得过半数赞成票的被选举人人数超过应选名额时，以得票多少为序，至取足应选名额为止。
如遇票数相等不能确定当选人时，应当就票数相等的被选举人再次投票"): the qualifiers Q by yes,
descending. |Q| ≤ S → all elected. |Q| > S → the top S, unless the S-th and (S+1)-th
have equal yes: then everyone above that count is elected and the people with that
count go to a re-vote for the remaining seats. Setting `tie_break=fewest_no`: among the
tied, fewer no votes wins; still tied → re-vote. Never by lot, never by stroke order.

R6 ("当选人数少于应选名额时，对不足的名额可以另行选举"): fewer elected than seats and no
re-vote → the missing seats are open.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """A printed candidate (ref set) or a write-in (ref None), with their counts."""

    ref: str | None
    name: str
    write_in: bool
    yes: int
    no: int
    abstain: int
    note: str | None = None


@dataclass(frozen=True)
class Selection:
    elected: list[Person] = field(default_factory=list)
    tied: list[Person] = field(default_factory=list)  # go to the re-vote
    revote_seats: int = 0
    open_seats: int = 0  # R6 shortfall


def select(qualified: list[Person], seats: int, tie_break: str = "revote") -> Selection:
    """R5 then R6: who of the qualifiers is elected, who goes to a re-vote, how many seats stay open."""
    ranked = sorted(qualified, key=lambda person: -person.yes)
    if len(ranked) <= seats:
        return Selection(elected=ranked, open_seats=seats - len(ranked))
    cut = ranked[seats - 1].yes
    if ranked[seats].yes != cut:
        return Selection(elected=ranked[:seats])
    elected = [person for person in ranked if person.yes > cut]
    tied = [person for person in ranked if person.yes == cut]
    remaining = seats - len(elected)
    if tie_break == "fewest_no":
        elected_by_no, tied, remaining = _fewest_no(tied, remaining)
        elected += elected_by_no
        if remaining == 0:
            return Selection(elected=elected)
    return Selection(elected=elected, tied=tied, revote_seats=remaining)


def _fewest_no(tied: list[Person], seats: int) -> tuple[list[Person], list[Person], int]:
    """R5 setting `fewest_no`: the tied with fewer no votes win; a tie in no votes stays tied."""
    ranked = sorted(tied, key=lambda person: person.no)
    cut = ranked[seats - 1].no
    if ranked[seats].no != cut:
        return ranked[:seats], [], 0
    winners = [person for person in ranked if person.no < cut]
    still_tied = [person for person in ranked if person.no == cut]
    return winners, still_tied, seats - len(winners)
