"""Benchmark: recount a record of 100,000 ballots × 50 candidates (aim: under 2 s, one core).

Prints the time to parse and check the record, to tally it, and in total, over a few
runs (the median is the figure), and writes them as JSON with --json FILE. Then the
auditor's command end to end, as a separate process with its start-up:
`python -m app.recount RECORD.json` (wall time and peak memory), and with --flask also
`flask --app app recount` (which has to build the whole web application first).

    .venv/bin/python scripts/bench_recount.py [--ballots 100000] [--candidates 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.record import parse_record, recount  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红玉梅文斌辉鹏飞晨"


def make_record(ballots: int, candidates: int, seats: int, seed: int = 1,
                explicit_abstain: bool = True) -> dict:
    """A realistic record: each voter approves up to S candidates, disapproves about 30% of
    the rest and abstains on the others; a few invalid and write-in ballots. With
    `explicit_abstain` every abstention is written out (the worst case for the parser);
    without, abstentions are left out as the spec allows and as `export` writes them."""
    rng = random.Random(seed)
    refs = [f"c{i}" for i in range(1, candidates + 1)]
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in refs]
    popularity = [rng.random() for _ in refs]
    rows = []
    for index in range(ballots):
        approve = set(rng.choices(refs, weights=popularity, k=rng.randint(0, seats)))
        marks = {}
        for ref in refs:
            if ref in approve:
                marks[ref] = "yes"
            elif rng.random() < 0.3:
                marks[ref] = "no"
            elif explicit_abstain:
                marks[ref] = "abstain"
        ballot = {"id": f"{index:06d}-{rng.getrandbits(20):05X}", "marks": marks}
        if index % 500 == 0:
            ballot["write_ins"] = [{"name": "赵六", "mark": "yes"}]
        if index % 997 == 0:
            ballot["invalid"] = True
        rows.append(ballot)
    return {
        "format": "union-ballot-record/1",
        "contest": {"title": "基准测试", "method": "differential", "seats": seats,
                    "candidates": [{"id": r, "name": n} for r, n in zip(refs, names, strict=True)],
                    "entitled": ballots + 100, "present": ballots, "ballots_issued": ballots,
                    "ballots_returned": ballots},
        "ballots": rows,
    }


def time_recount(text: bytes, runs: int) -> dict:
    """Median seconds to parse+check and to tally+decide, as `flask recount` does it (with
    the cyclic garbage collector paused, see app/cli.py)."""
    parse_times, tally_times = [], []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        contest, ballots = parse_record(text)
        parsed = time.perf_counter()
        recount(contest, ballots)
        done = time.perf_counter()
        gc.enable()
        parse_times.append(parsed - start)
        tally_times.append(done - parsed)
    return {"record_mb": round(len(text) / 1e6, 1),
            "parse_and_check_s": round(statistics.median(parse_times), 3),
            "tally_and_decide_s": round(statistics.median(tally_times), 3),
            "total_s": round(statistics.median(
                p + t for p, t in zip(parse_times, tally_times, strict=True)), 3)}


ROOT = Path(__file__).resolve().parent.parent


def time_command(command: list[str], runs: int) -> dict:
    """Median wall seconds of a whole process (start-up included) and its peak resident
    memory. The peak is measured by GNU time (`/usr/bin/time -f %M`): the kernel's
    ru_maxrss of a forked child would include this (large) benchmark process."""
    walls, peaks, cpus = [], [], []
    env = {**os.environ, "UNION_INSTANCE_DIR": tempfile.mkdtemp(prefix="bench-recount-")}
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run(["/usr/bin/time", "-q", "-f", "%M %U %S", "-o", rss.name, *command],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            walls.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()}")
            rss.seek(0)
            peak, user, system = rss.read().split()[-3:]
            peaks.append(int(peak) / 1024)  # KiB → MiB
            cpus.append(float(user) + float(system))  # less sensitive to a loaded machine
    return {"wall_s": round(statistics.median(walls), 3), "cpu_s": round(statistics.median(cpus), 2),
            "peak_mib": round(max(peaks), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--seats", type=int, default=21)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--flask", action="store_true",
                        help="also time `flask --app app recount` end to end")
    args = parser.parse_args()
    figures: dict = {"ballots": args.ballots, "candidates": args.candidates,
                     "load_average": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        for label, explicit in (("abstain_omitted", False), ("every_mark_written", True)):
            record = make_record(args.ballots, args.candidates, args.seats, explicit_abstain=explicit)
            text = json.dumps(record).encode()
            del record
            result = time_recount(text, args.runs)
            path = Path(tmp) / f"{label}.json"
            path.write_bytes(text)
            del text
            result["cli"] = time_command([sys.executable, "-m", "app.recount", str(path)], args.runs)
            if args.flask:
                result["flask_cli"] = time_command(
                    [sys.executable, "-m", "flask", "--app", "app", "recount", str(path)], args.runs)
            figures[label] = result
            print(f"recount {args.ballots:,} ballots × {args.candidates} candidates, "
                  f"{label.replace('_', ' ')} ({result['record_mb']} MB), median of {args.runs}: "
                  f"in process parse+check {result['parse_and_check_s']} s, "
                  f"tally+decide {result['tally_and_decide_s']} s, total {result['total_s']} s; "
                  f"`python -m app.recount` end to end {result['cli']['wall_s']} s wall "
                  f"({result['cli']['cpu_s']} s CPU), "
                  f"peak {result['cli']['peak_mib']} MiB"
                  + (f"; `flask --app app recount` {result['flask_cli']['wall_s']} s, "
                     f"peak {result['flask_cli']['peak_mib']} MiB" if args.flask else ""))
    print(f"(load average at start {figures['load_average']:.2f} on {os.cpu_count()} cores: "
          "the machine is shared, figures are upper bounds)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
