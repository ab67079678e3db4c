"""Many tablets at once against the real server: nothing lost, nothing doubled.

A smaller version of scripts/loadtest.py: 32 concurrent clients record ballots across
three rounds with resends, rescans and conflicting readings mixed in.
"""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from loadtest import Server, make_work, prepare, run_clients, verify  # noqa: E402


def test_32_clients_record_every_ballot_exactly_once(tmp_path):
    plans = prepare(tmp_path, ballots_per_round=250)
    work = make_work(plans, total=600, seed=3, resend=0.1, rescan=0.1, conflict=0.05)
    kinds = {item.kind for item in work}
    assert kinds == {"first", "resend", "rescan", "conflict"}
    server = Server(tmp_path).start()
    try:
        outcome = run_clients(server.url, work, clients=32)
    finally:
        server.stop()
    assert outcome.errors == []
    assert len(outcome.acked) == len(work)
    statuses = {}
    for item, status in outcome.acked.values():
        statuses.setdefault(item.kind, set()).add(status)
    assert statuses["first"] <= {"added", "conflict"}
    assert statuses["resend"] <= {"added", "duplicate", "conflict"}
    assert statuses["rescan"] <= {"duplicate", "conflict"}
    assert statuses["conflict"] == {"conflict"}
    assert verify(tmp_path / "union.sqlite3", plans, outcome) == []
