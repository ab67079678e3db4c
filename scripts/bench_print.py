"""Benchmark: how fast are ballots printed? Target: 1,000 ballots in under 20 seconds.

    .venv/bin/python scripts/bench_print.py [--count 1000] [--full-draw]

Two runs, each timed from the start to a closed PDF file:
1. the demo congress's committee round (10 candidates, 5 write-in rows) through
   app.ballots.printing.print_ballots: serials, PDF, the batch stored, as the CLI and the
   admin page do it, on a throw-away instance folder;
2. the largest ballot, 60 candidates and 5 write-in rows, through render_ballots.
Prints ballots per second and the seconds for 1,000; exits 1 when a run misses the target.
`--full-draw` draws every page in full instead of reusing the static part (for comparison).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS_PER_1000 = 20.0


def report(label: str, count: int, seconds: float, size: int) -> bool:
    per_1000 = seconds / count * 1000
    ok = per_1000 < TARGET_SECONDS_PER_1000
    print(f"{label}: {count} ballots in {seconds:.2f} s = {count / seconds:.0f} ballots/s; "
          f"{per_1000:.1f} s per 1,000 (target < {TARGET_SECONDS_PER_1000:.0f} s) "
          f"{'OK' if ok else 'TOO SLOW'}; {size / 1e6:.1f} MB")
    return ok


def bench_demo_round(count: int, folder: Path) -> bool:
    os.environ["UNION_INSTANCE_DIR"] = str(folder / "instance")
    os.environ.pop("UNION_DATABASE", None)
    from app import create_app
    from app.ballots.printing import print_ballots
    from app.congress.rounds import open_round
    from app.db import get_db
    from app.demo import create_demo

    app = create_app()
    with app.app_context():
        db = get_db()
        demo = create_demo(db)
        round_id = db.execute("SELECT id FROM round WHERE contest_id = ?",
                              [demo["contest_ids"]["committee"]]).fetchone()[0]
        open_round(db, round_id, "bench")
        out = folder / "demo.pdf"
        started = time.perf_counter()
        print_ballots(db, round_id, count, out, key=app.config["BALLOT_KEY"], actor="bench")
        seconds = time.perf_counter() - started
    return report("demo round (10 candidates, CLI path incl. database)", count, seconds,
                  out.stat().st_size)


def bench_largest(count: int, folder: Path, reuse_static: bool) -> bool:
    from app.ballots.layout import MAX_CANDIDATES, MAX_WRITE_INS, Entry, ballot_layout
    from app.ballots.pdf import render_ballots
    from app.ballots.serials import new_serial, sign

    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    entries = [Entry(f"c{i}", surnames[i % 20] + "建国志红玉梅文斌"[i % 8] + "华明"[i % 2],
                     "镇卫生院" if i % 9 == 0 else "") for i in range(MAX_CANDIDATES)]
    layout = ballot_layout(title="青石镇总工会第五届工会委员会委员选举票", round_label="第 1 轮投票",
                           seats=45, entries=entries, write_in_rows=MAX_WRITE_INS)
    started = time.perf_counter()
    ballots = []
    for _ in range(count):
        serial = new_serial()
        ballots.append((sign("bench-key", 1, 1, serial).text(), serial))
    out = folder / "largest.pdf"
    render_ballots(layout, ballots, out, reuse_static=reuse_static)
    seconds = time.perf_counter() - started
    how = "each page drawn in full" if not reuse_static else "static part reused"
    return report(f"largest ballot (60 candidates + 5 write-ins, {how})", count, seconds,
                  out.stat().st_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--full-draw", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ok = bench_demo_round(args.count, folder)
        ok = bench_largest(args.count, folder, reuse_static=not args.full_draw) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
