"""Helpers for the batch tests (no tests here): an open round with printed serials and
scanned stacks of its ballots made by scripts/make_scan_deck.py."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from app.ballots.issue import issue_serials
from app.ballots.round_layout import round_layout
from app.ballots.serials import sign
from app.congress.rounds import open_round

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Hall:
    round_id: int
    contest_id: int
    serials: list[str]
    layout: dict
    key: str

    def ballots(self, serials: list[str], *, contest_id: int | None = None,
                round_id: int | None = None) -> list[tuple[str, str]]:
        return [(sign(self.key, contest_id or self.contest_id, round_id or self.round_id, s).text(), s)
                for s in serials]

    @property
    def refs(self) -> list[str]:
        return [c["ref"] for c in self.layout["candidates"]]


def open_hall(db, contest_id: int, key: str, count: int) -> Hall:
    round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                          [contest_id]).fetchone()[0]
    open_round(db, round_id, "test")
    serials = issue_serials(db, round_id, count, "test").serials
    return Hall(round_id, contest_id, serials, round_layout(db, round_id), key)


def run_scan_batch(instance: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command in its own process, on the test's instance folder."""
    env = {**os.environ, "UNION_INSTANCE_DIR": str(instance)}
    env.pop("UNION_DATABASE", None)
    return subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", "scan-batch", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def open_live_hall(live_server, count: int) -> Hall:
    """The committee's round opened on a running server, `count` serials printed: the
    Hall the stacks are made for (read from the server's own database)."""
    from test_counting_support import live_db, open_live_round

    from app.ballots.round_layout import round_layout as layout_of

    committee, key = open_live_round(live_server, count)
    db = live_db(live_server)
    try:
        layout = layout_of(db, committee.round_id)
    finally:
        db.close()
    return Hall(committee.round_id, committee.contest_id, committee.serials, layout, key)

