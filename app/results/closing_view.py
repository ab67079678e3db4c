"""What the closing page shows for a round, open or sealed (issue 11): the outcome, the
figures, who may sign, and — once sealed — the signed result itself, who signed, and
whether anything follows (a re-vote, another election...) or the contest is decided."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..ballots.plausibility import acknowledgement, covered
from ..digest import short_digest
from ..rules import plan_next_round
from ..store.states import SEALED
from .rounds import RoundInfo, load_round
from .sealing import closing, signatures_of


def next_step(db: Database, info: RoundInfo) -> str | None:
    """For a sealed round: None when the contest is decided (nothing follows), "taken"
    when what follows is already arranged, else the kind of step the rules call for."""
    if info.result is None:
        return None
    taken = db.execute(
        "SELECT (SELECT count(*) FROM round WHERE parent_round_id = ?)"
        " + (SELECT count(*) FROM contest_motion WHERE round_id = ?)", [info.id, info.id]).fetchone()[0]
    plan = plan_next_round(info.result, info.seats, [c.ref for c in info.candidates],
                           info.rules.shortfall, info.rules.differential_rate_percent)
    if plan is None:
        return None
    return "taken" if taken else plan.kind


def _figures(db: Database, info: RoundInfo) -> dict[str, Any]:
    """E, P, I, R and seats; with I > P, its acknowledgement (reason, by whom) or that it
    still needs one (`issued_over_present_open`)."""
    over = info.issued is not None and info.present is not None and info.issued > info.present
    return {"entitled": info.entitled, "present": info.present, "issued": info.issued,
            "returned": info.returned, "seats": info.seats,
            "issued_over_present": acknowledgement(db, info.id) if over else None,
            "issued_over_present_open": not covered(db, info.id, info.issued, info.present)}


def closing_page(db: Database, round_id: int) -> dict[str, Any]:
    """The closing page's data, before and after sealing."""
    info = load_round(db, round_id)
    if info.state == SEALED and info.result is not None:
        return {"round_id": info.id, "number": info.number, "ready": True, "problems": [],
                "result": info.result, "digest": info.digest or "",
                "digest_short": short_digest(info.digest), "state": SEALED,
                "sealed_at": info.sealed_at, "signatures": signatures_of(db, info.id),
                "next_step": next_step(db, info), "figures": _figures(db, info)}
    return {**closing(db, round_id).as_dict(), "state": info.state, "figures": _figures(db, info),
            "signatures": [], "next_step": None}
