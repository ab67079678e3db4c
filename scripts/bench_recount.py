"""Benchmark: recount a record of 100,000 ballots × 50 candidates (aim: under 2 s, one core).

Prints the time to parse and check the record, to tally it, and in total, over a few
runs (the median is the figure), and writes them as JSON with --json FILE.

    .venv/bin/python scripts/bench_recount.py [--ballots 100000] [--candidates 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--seats", type=int, default=21)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = {"ballots": args.ballots, "candidates": args.candidates}
    for label, explicit in (("abstain_omitted", False), ("every_mark_written", True)):
        record = make_record(args.ballots, args.candidates, args.seats, explicit_abstain=explicit)
        result = time_recount(json.dumps(record).encode(), args.runs)
        figures[label] = result
        print(f"recount {args.ballots:,} ballots × {args.candidates} candidates, {label.replace('_', ' ')} "
              f"({result['record_mb']} MB): parse+check {result['parse_and_check_s']} s, "
              f"tally+decide {result['tally_and_decide_s']} s, total {result['total_s']} s "
              f"(median of {args.runs})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
