"""The live board's data: per contest and round, E, P, quorum, I, R, the count so far
and each person's approve / disapprove / abstain against the threshold, in stroke order.

The count comes from the incremental tally the recording area keeps (`round_tally`),
run through `app.rules.decide`: the board never recounts the ballots per request. A
sealed round shows exactly the result that was signed.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..digest import short_digest
from ..rules import Result, decide, quorum_met, quorum_needed
from ..rules.names import sort_by_name
from ..security.anchor import round_anchor, short_head
from ..store.states import DRAFT, SEALED
from .rounds import RoundInfo, congress_rounds, load_round
from .source import live_tally, open_conflicts


def _counts_view(info: RoundInfo, result: Result) -> dict[str, Any]:
    return {
        "recorded": result["ballots"]["recorded"],
        "valid": result["ballots"]["valid"],
        "invalid": result["ballots"]["invalid"],
        "threshold": result["threshold"],
        "tally": result["tally"],
        # R9: the elected are always announced in stroke order of their names.
        "elected": sort_by_name(result["elected"], lambda person: person["name"]),
        "revote": result["revote"],
        "open_seats": result["open_seats"],
    }


def round_view(db: Database, info: RoundInfo, *, show_counts: bool) -> dict[str, Any]:
    """One round for the board; `show_counts` False hides every count of votes."""
    view: dict[str, Any] = {
        "round_id": info.id, "contest_id": info.contest_id, "number": info.number,
        "kind": info.kind, "state": info.state, "method": info.method, "seats": info.seats,
        "entitled": info.entitled, "present": info.present, "issued": info.issued,
        "returned": info.returned, "candidates": len(info.candidates),
        "quorum_needed": None, "quorum_met": None, "counts_visible": show_counts,
        "complete": False, "outcome": None, "conflicts": 0, "version": 0,
        "digest": info.digest, "digest_short": short_digest(info.digest),
        "sealed_at": info.sealed_at,
    }
    if info.entitled is not None:
        view["quorum_needed"] = quorum_needed(info.entitled, info.rules.quorum)
        view["quorum_met"] = quorum_met(info.entitled, info.present or 0, info.rules.quorum)
    if info.state == DRAFT:
        return view
    if info.state == SEALED and info.result is not None:
        result = info.result
        view.update(complete=True, outcome=result["outcome"], recorded=result["ballots"]["recorded"])
        # The paper anchor, as on the signed report (issue 16): checked by `verify-audit --head`.
        view["audit_head_short"] = short_head(round_anchor(db, info.id)["audit_head"])
    else:
        tally, version = live_tally(db, info.id)
        conflicts = open_conflicts(db, info.id)
        # Until I and R are entered the count so far is shown against what is known.
        contest = info.contest(issued=max(info.returned or 0, tally.recorded),
                               returned=tally.recorded)
        result = decide(contest, tally)
        complete = info.returned is not None and result["counting_complete"] and conflicts == 0
        if complete or result["outcome"] == "no_quorum" or (
                result["outcome"] == "void" and info.returned is not None):
            outcome = result["outcome"]
        else:
            outcome = "counting"
        view.update(version=version, conflicts=conflicts, complete=complete,
                    recorded=tally.recorded, outcome=outcome)
        if not complete:  # nobody is elected while the count runs; show who is above the line
            result = {**result, "elected": [], "revote": None, "open_seats": 0,
                      "tally": [{**row, "status": "counting"} for row in result["tally"]]}
    if show_counts:
        view.update(_counts_view(info, result))
    return view


def board_snapshot(db: Database, congress_id: int, *, official: bool) -> dict[str, Any]:
    """Every contest of the congress with its rounds, newest round last."""
    congress = db.execute("SELECT id, name, live_board_public FROM congress WHERE id = ?",
                          [congress_id]).fetchone()
    contests: dict[int, dict[str, Any]] = {}
    for round_id in congress_rounds(db, congress_id):
        info = load_round(db, round_id)
        show = official or info.state == SEALED or info.live_board_public
        entry = contests.setdefault(info.contest_id, {"contest_id": info.contest_id,
                                                      "title": info.title, "office": info.office,
                                                      "rounds": []})
        entry["rounds"].append(round_view(db, info, show_counts=show))
    return {"congress": {"id": congress["id"], "name": congress["name"],
                         "live_public": bool(congress["live_board_public"])},
            "official": official, "version": board_version(db, congress_id),
            "contests": list(contests.values())}


def board_version(db: Database, congress_id: int) -> str:
    """A cheap fingerprint of everything the board shows: it changes when a ballot is
    recorded (the tally version), a conflict opens or closes, I or R is entered, or a
    round changes state. The event stream polls this, not the ballots."""
    row = db.execute(
        "SELECT group_concat(r.id || ':' || r.state || ':' || ifnull(r.ballots_issued, '') || ':'"
        " || ifnull(r.ballots_returned, '') || ':' || ifnull(r.present, '') || ':'"
        " || ifnull(t.version, 0) || ':'"
        " || (SELECT count(*) FROM ballot b WHERE b.round_id = r.id AND b.status = 'conflict'), ',')"
        " FROM round r JOIN contest c ON c.id = r.contest_id"
        " LEFT JOIN round_tally t ON t.round_id = r.id WHERE c.congress_id = ?",
        [congress_id]).fetchone()
    return row[0] or ""


def default_congress(db: Database) -> int | None:
    row = db.execute("SELECT max(id) FROM congress").fetchone()
    return row[0]
