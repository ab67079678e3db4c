"""Benchmark of the photo reader: median and p95 time per photo, by photo size, with
the time of each stage (decode = load + QR, align, score), on one core.

    .venv/bin/python scripts/bench_scan.py [--count 40] [--sizes 1600x1200,4000x3000]

Photos come from the test deck (scripts/make_test_deck.py), made before timing starts.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--sizes", default="1600x1200,4000x3000")
    parser.add_argument("--hard", action="store_true")
    args = parser.parse_args(argv)
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
        refused = 0
        for sample in deck:
            start = time.perf_counter()
            try:
                reading = read_ballot(sample.photo, key=deck_module.DECK_KEY,
                                      layout_for=lambda _p, s=sample: s.ballot.layout,
                                      max_bytes=1 << 26, max_pixels=50_000_000)
            except ScanError:
                refused += 1
                continue
            wall.append((time.perf_counter() - start) * 1000)
            for stage in stages:
                stages[stage].append(reading["timings_ms"][stage])
        mean_kb = statistics.mean(len(s.photo) for s in deck) / 1024
        print(f"{size_text} ({len(deck)} photos, JPEG ~{mean_kb:.0f} kB, {refused} refused):")
        print(f"  per photo: median {statistics.median(wall):.1f} ms, p95 {percentile(wall, 95):.1f} ms")
        for stage, values in stages.items():
            print(f"  {stage:>6}: median {statistics.median(values):6.1f} ms,"
                  f" p95 {percentile(values, 95):6.1f} ms")


if __name__ == "__main__":
    main()
