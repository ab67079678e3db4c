"""All the figures for the hot paths, in one command: a table on the screen and JSON on disk.

    .venv/bin/python scripts/bench.py [--clients 32] [--ballots 6000] [--json bench.json]

1. Recording: `clients` concurrent tablets record ballots against the production server
   (gunicorn with scripts/gunicorn.conf.py, as scripts/run.sh starts it), durable commits;
   ballots/s, p50/p99 latency, the server's peak memory. In the same run, a raw SQLite
   insert loop with the same durability (WAL, synchronous=FULL, one commit per insert),
   and the ratio of the two.
2. The live tally's cost per recorded ballot, early in a round and late in it (it must not
   grow with the number of ballots).
3. Reading a photo, printing 1,000 ballots, recounting 100,000 ballots × 50 candidates:
   the figures of scripts/bench_scan.py, bench_print.py and bench_recount.py.

The machines are shared and noisy: figures, never pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from loadtest import Server, make_work, percentile, prepare, run_clients, verify  # noqa: E402


def bench_recording(clients: int, ballots: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-record-"))
    try:
        plans = prepare(folder, -(-ballots // 3) + 5)
        work = make_work(plans, ballots, resend=0.0, rescan=0.0, conflict=0.0)
        server = Server(folder).start()
        peak = [0.0]
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                peak[0] = max(peak[0], server.rss_mb())
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            started = time.perf_counter()
            outcome = run_clients(server.url, work, clients)
            seconds = time.perf_counter() - started
        finally:
            sampling.set()
            sampler.join()
            server.stop()
        problems = verify(folder / "union.sqlite3", plans, outcome)
        return {"clients": clients, "ballots": len(outcome.acked), "errors": len(outcome.errors),
                "problems": len(problems), "seconds": round(seconds, 2),
                "ballots_per_s": round(len(outcome.acked) / seconds, 1),
                "p50_ms": round(percentile(outcome.latencies_ms, 0.50), 1),
                "p99_ms": round(percentile(outcome.latencies_ms, 0.99), 1),
                "server_peak_rss_mb": round(peak[0], 1)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_raw_sqlite(inserts: int = 1500) -> dict:
    """The floor: one thread, one insert and one durable commit per ballot, same pragmas."""
    folder = Path(tempfile.mkdtemp(prefix="bench-raw-"))
    try:
        conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE ballot (serial TEXT PRIMARY KEY, marks_json TEXT)")
        marks = json.dumps({f"c{i}": "yes" if i < 5 else "abstain" for i in range(10)})
        started = time.perf_counter()
        for index in range(inserts):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO ballot VALUES (?, ?)", [f"S{index:08d}", marks])
            conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
        return {"inserts": inserts, "inserts_per_s": round(inserts / seconds, 1),
                "ms_per_commit": round(seconds / inserts * 1000, 2)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_tally_cost(late: int = 4000, sample: int = 300) -> dict:
    """Time to record one ballot (without the disk wait) early and late in a round."""
    folder = Path(tempfile.mkdtemp(prefix="bench-tally-"))
    try:
        plans = prepare(folder, late + 2 * sample)
        committee = plans[0]
        work = [w for w in make_work([committee], late + 2 * sample, resend=0, rescan=0, conflict=0)]
        from app.counting import Source, Teller, record
        from app.store import connect
        from config import load_config

        db = connect(folder / "union.sqlite3")
        db.execute("PRAGMA synchronous = OFF")  # measure the work, not the disk
        key, teller = load_config()["BALLOT_KEY"], Teller(None, "bench")

        def run(items) -> float:
            started = time.perf_counter()
            for item in items:
                record(db, item.round_id, Source(serial=item.serial), item.marks, [], False, "",
                       teller, ballot_key=key, client_id=item.client_id)
            return (time.perf_counter() - started) / len(items) * 1000

        early = run(work[:sample])
        run(work[sample:late])
        late_ms = run(work[late:late + sample])
        db.close()
        return {"ms_per_ballot_first_300": round(early, 2),
                f"ms_per_ballot_after_{late}": round(late_ms, 2)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_script(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--ballots", type=int, default=6000)
    parser.add_argument("--json", type=Path, default=ROOT / "bench.json")
    parser.add_argument("--skip-others", action="store_true", help="only recording and tally")
    args = parser.parse_args()

    figures: dict = {"machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()}}
    figures["recording"] = bench_recording(args.clients, args.ballots)
    figures["raw_sqlite"] = bench_raw_sqlite()
    figures["recording"]["ratio_to_raw_sqlite"] = round(
        figures["recording"]["ballots_per_s"] / figures["raw_sqlite"]["inserts_per_s"], 2)
    figures["live_tally"] = bench_tally_cost()
    if not args.skip_others:
        figures["photo"] = run_script("scripts/bench_scan.py", "--count", "30")
        figures["print"] = run_script("scripts/bench_print.py", "--count", "1000")
        figures["recount"] = run_script("scripts/bench_recount.py", "--runs", "3")

    rec, raw, tally = figures["recording"], figures["raw_sqlite"], figures["live_tally"]
    print(f"{'what':<44} figure")
    print(f"{'recording, ' + str(rec['clients']) + ' clients, gunicorn, durable':<44} "
          f"{rec['ballots_per_s']} ballots/s; p50 {rec['p50_ms']} ms, p99 {rec['p99_ms']} ms "
          f"({rec['ballots']} ballots, {rec['errors']} errors, {rec['problems']} problems)")
    print(f"{'raw SQLite insert loop, same durability':<44} {raw['inserts_per_s']} inserts/s "
          f"({raw['ms_per_commit']} ms per commit)")
    print(f"{'recording ÷ raw SQLite':<44} {rec['ratio_to_raw_sqlite']}")
    print(f"{'server peak memory under that load':<44} {rec['server_peak_rss_mb']} MB (all workers)")
    print(f"{'live tally: work per recorded ballot':<44} "
          + ", ".join(f"{k} {v} ms" for k, v in tally.items()))
    for key in ("photo", "print", "recount"):
        for line in figures.get(key, []):
            print(f"{key:<44} {line}")
    args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    print(f"(written to {args.json})")


if __name__ == "__main__":
    main()
