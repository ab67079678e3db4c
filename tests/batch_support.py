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
