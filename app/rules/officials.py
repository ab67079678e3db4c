"""R12 Scrutineers and tellers: approved by the meeting, never candidates of the contest
they oversee ("已提名作为工会委员会委员的，不得担任监票、计票人")."""

from __future__ import annotations

from collections.abc import Iterable

from .names import normalize_name


def official_is_candidate(official_name: str, candidate_names: Iterable[str]) -> bool:
    """R12: True when this scrutineer or teller bears the name of a candidate of the contest.

    Names are compared without white space. Two different people can share a name;
    the secretariat then renames one with a note, but the software refuses rather
    than guess.
    """
    name = normalize_name(official_name)
    return any(normalize_name(candidate) == name for candidate in candidate_names)
