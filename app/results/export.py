"""Export (issue 6, item 5): a `union-ballot-record/1` of exactly what was counted in a
round, which `flask --app app recount` re-derives to the same result."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..record import dump_record
from ..rules import Result, decide
from ..security.secrecy import pseudonymize
from ..store.states import DRAFT
from .rounds import load_round
from .source import counted_ballots, live_tally


def export_record(db: Database, round_id: int) -> dict[str, Any]:
    """The record of a round that has been opened (sealed or still counting). Ballots are
    named by ids made for this export only, never by their printed serials (R10: a code
    on a sheet proves nothing); their marks, the recount and the digest are unchanged."""
    info = load_round(db, round_id)
    if info.state == DRAFT:
        raise AppError(Kind.CONFLICT, "round_not_open", number=info.number, state=info.state)
    return dump_record(info.contest(), pseudonymize(counted_ballots(db, round_id)))


def live_result(db: Database, round_id: int) -> Result:
    """The result the service holds for a round: the sealed one, else the live tally's."""
    info = load_round(db, round_id)
    if info.result is not None:
        return info.result
    tally, _version = live_tally(db, round_id)
    return decide(info.contest(), tally)
