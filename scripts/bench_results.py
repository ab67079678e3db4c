"""Benchmark of the results area: how long the board's snapshot, closing a round (a full
count, decide, digest), sealing, the count report PDF and the export take for a round of
N ballots. Usage: .venv/bin/python scripts/bench_results.py [N]"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.results.export import export_record  # noqa: E402
from app.results.live import board_snapshot, board_version  # noqa: E402
from app.results.reports import count_report_pdf  # noqa: E402
from app.results.sealing import closing, seal  # noqa: E402
from app.store import connect, migrate, write_transaction  # noqa: E402
from tests.test_results_support import SIGNATURES, make_round  # noqa: E402


def timed(label: str, function, repeat: int = 1):
    started = time.perf_counter()
    for _ in range(repeat):
        value = function()
    print(f"{label:<38} {(time.perf_counter() - started) / repeat * 1000:9.1f} ms")
    return value


def main(count: int) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        db = connect(Path(folder) / "bench.sqlite3")
        migrate(db)
        names = [f"{s}{g}" for s in "王李张刘陈杨黄赵吴周徐孙马朱胡郭" for g in "明"][:16]
        rnd = make_round(db, "bench-key", names=names, seats=15, entitled=count, serials=count)
        with write_transaction(db):
            for _ in range(count):
                rnd.vote({ref: rng.choice(("yes", "yes", "no", "abstain")) for ref in rnd.refs[:15]})
        rnd.enter_counts(count, count)
        print(f"round of {count} ballots, 16 candidates, 15 seats")
        timed("board version (polled 5×/s per stream)", lambda: board_version(db, rnd.congress_id), 200)
        timed("board snapshot (per change)", lambda: board_snapshot(db, rnd.congress_id, official=True), 20)
        timed("closing preview (full count + digest)", lambda: closing(db, rnd.round_id), 5)
        timed("seal", lambda: seal(db, rnd.round_id, SIGNATURES, "bench"))
        timed("count report PDF", lambda: count_report_pdf(db, rnd.round_id), 3)
        timed("export record", lambda: export_record(db, rnd.round_id), 5)
        db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
