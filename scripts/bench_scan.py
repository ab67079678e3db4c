"""Benchmark of the photo reader: median and p95 time per photo, by photo size, with
the time of each stage (decode = load + QR, align, score), on one core.

    .venv/bin/python scripts/bench_scan.py [--count 40] [--sizes 1600x1200,4000x3000]
    .venv/bin/python scripts/bench_scan.py --accuracy [--hard] [--count 200]

`--accuracy` instead reads a deck and counts: photos refused (by reason), rows read
right, rows flagged unsure (all, and among clear marks), and silent misreads.

Wall time suffers when other work shares the cores, so CPU time is shown beside it.
Photos come from the test deck (scripts/make_test_deck.py), made before timing starts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_test_deck as deck_module  # noqa: E402

from app.scan import ScanError, read_ballot  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def accuracy(count: int, seed: int, hard: bool) -> None:
    from collections import Counter

    deck = deck_module.make_deck(count, seed, hard=hard)
    tally: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for sample in deck:
        try:
            reading = read_ballot(sample.photo, key=deck_module.DECK_KEY,
                                  layout_for=lambda _p, s=sample: s.ballot.layout,
                                  max_bytes=1 << 26, max_pixels=50_000_000)
        except ScanError as error:
            refused[error.code] += 1
            continue
        for ref, truth in sample.truth.marks.items():
            got = reading["marks"][ref]
            tally["rows"] += 1
            tally["clear rows"] += sample.truth.clear[ref]
            if got == "unsure":
                tally["unsure"] += 1
                tally["unsure clear"] += sample.truth.clear[ref]
            elif got == truth:
                tally["right"] += 1
            else:
                tally["SILENT MISREAD"] += 1
                print("  misread:", sample.name, ref, sample.truth.kinds[ref], truth, "→", got)
        flagged = {item["write_in"] for item in reading["needs_review"] if "write_in" in item}
        for truth in sample.truth.write_ins:
            got = reading["write_ins"][truth["index"]]
            tally["write-ins"] += 1
            if truth["index"] in flagged or got["mark"] == "unsure":
                tally["write-ins unsure"] += 1
            elif (got["mark"], got["has_name"]) != (truth["mark"], truth["has_name"]):
                tally["WRITE-IN SILENT MISREAD"] += 1
                print("  write-in misread:", sample.name, truth, "→", got["mark"], got["has_name"])
    read = count - sum(refused.values())
    print(f"{'hard' if hard else 'standard'} deck, seed {seed}: {count} photos, {read} read, "
          f"refused {dict(refused) or 'none'}")
    print(f"  rows {tally['rows']}: right {tally['right']}, unsure {tally['unsure']} "
          f"({tally['unsure'] / max(tally['rows'], 1):.2%}), of them clear marks {tally['unsure clear']} "
          f"({tally['unsure clear'] / max(tally['clear rows'], 1):.2%} of clear rows), "
          f"silent misreads {tally['SILENT MISREAD']}")
    print(f"  write-ins {tally['write-ins']}: unsure {tally['write-ins unsure']}, "
          f"silent misreads {tally['WRITE-IN SILENT MISREAD']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--sizes", default="1600x1200,4000x3000")
    parser.add_argument("--hard", action="store_true")
    parser.add_argument("--accuracy", action="store_true")
    args = parser.parse_args(argv)
    if args.accuracy:
        accuracy(args.count, args.seed, args.hard)
        return
    cv2.setNumThreads(1)  # one core, as on a busy counting server
    for size_text in args.sizes.split(","):
        size = tuple(int(v) for v in size_text.split("x"))
        deck = deck_module.make_deck(args.count, args.seed, hard=args.hard, size=size)
        for sample in deck[:3]:  # warm caches and lazy imports
            read_ballot(sample.photo, key=deck_module.DECK_KEY,
                        layout_for=lambda _p, s=sample: s.ballot.layout,
                        max_bytes=1 << 26, max_pixels=50_000_000)
        stages: dict[str, list[float]] = {"decode": [], "align": [], "score": [], "total": []}
        wall: list[float] = []
        cpu: list[float] = []
        refused = 0
        for sample in deck:
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                reading = read_ballot(sample.photo, key=deck_module.DECK_KEY,
                                      layout_for=lambda _p, s=sample: s.ballot.layout,
                                      max_bytes=1 << 26, max_pixels=50_000_000)
            except ScanError:
                refused += 1
                continue
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            for stage in stages:
                stages[stage].append(reading["timings_ms"][stage])
        mean_kb = statistics.mean(len(s.photo) for s in deck) / 1024
        print(f"{size_text} ({len(deck)} photos, JPEG ~{mean_kb:.0f} kB, {refused} refused):")
        print(f"  per photo: median {statistics.median(wall):.1f} ms, p95 {percentile(wall, 95):.1f} ms"
              f" (CPU time: median {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 95):.1f} ms;"
              f" load average {os.getloadavg()[0]:.1f})")
        for stage, values in stages.items():
            print(f"  {stage:>6}: median {statistics.median(values):6.1f} ms,"
                  f" p95 {percentile(values, 95):6.1f} ms")


if __name__ == "__main__":
    main()
