"""kill -9 the server while tablets are recording; after a restart every acknowledged
ballot is there exactly once, the database is sound and the audit chain holds."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import httpx
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from loadtest import (  # noqa: E402
    TELLERS,
    Outcome,
    Server,
    make_work,
    prepare,
    run_clients,
    signed_in_headers,
    verify,
)


def test_acknowledged_ballots_survive_kill_9_three_times(tmp_path):
    plans = prepare(tmp_path, ballots_per_round=400)
    work = make_work(plans, total=1100, seed=5, resend=0.05, rescan=0.05, conflict=0.0)
    acked_total = {}
    position = 0
    for attempt in range(3):
        server = Server(tmp_path).start()
        chunk = work[position: position + 360]
        position += 360
        stop = threading.Event()
        outcome = Outcome()
        sessions = [signed_in_headers(server.url, name) for name in TELLERS]
        runner = threading.Thread(target=run_clients, args=(server.url, chunk), kwargs={
            "clients": 16, "stop": stop, "retries": False, "outcome": outcome, "sessions": sessions})
        runner.start()
        deadline = time.monotonic() + 60
        while len(outcome.acked) < 40 + 40 * attempt and time.monotonic() < deadline:
            time.sleep(0.02)  # let acknowledgements pile up, then pull the plug mid-stream
        server.kill9()
        stop.set()
        runner.join(60)
        assert outcome.acked, "nothing was acknowledged before the kill"
        acked_total.update(outcome.acked)
        # Restart on the same file: everything acknowledged so far must be there.
        server = Server(tmp_path).start()
        assert httpx.get(f"{server.url}/api/health").status_code == 200
        server.stop()
        outcome.acked = acked_total
        assert verify(tmp_path / "union.sqlite3", plans, outcome) == []
    audit = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "verify-audit"], cwd=ROOT,
                           env={**server.env}, capture_output=True, text=True)
    assert audit.returncode == 0, audit.stderr
    assert "audit chain ok" in audit.stdout
