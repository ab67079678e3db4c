"""Benchmark of the photo reader: median and p95 time per photo, by photo size, with
the time of each stage (decode = load + QR, align, score), on one core.

    .venv/bin/python scripts/bench_scan.py [--count 40] [--sizes 1600x1200,4000x3000]
    .venv/bin/python scripts/bench_scan.py --accuracy [--hard] [--count 200]

`--accuracy` instead reads a deck and counts: photos refused (by reason), rows read
right, rows flagged unsure (all, and among clear marks), and silent misreads.

    .venv/bin/python scripts/bench_scan.py --stress [--count 112] [--sizes 1600x1200,4000x3000] [--a5]
    .venv/bin/python scripts/bench_scan.py --report [--count 56]

`--stress` reads the stress deck (make_test_deck.make_stress_deck: pencil and thin-pen
voters on the dense 50-candidate page, tilt to the frame's edge, motion blur, low
light, glare, curl, 95-100 % print scale, damage 0.5-2) and breaks the figures down by
writing tool, condition, damage and photo size. `--report` prints the distribution of
box scores (the page-relative measures the reader decides on) for empty boxes and for
marked boxes of each writing tool, so the thresholds in app/scan/classify.py come
from data (in the spirit of VxSuite's scoring report).

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


def _read(sample):
    return read_ballot(sample.photo, key=deck_module.DECK_KEY,
                       layout_for=lambda _p, s=sample: s.ballot.layout,
                       max_bytes=1 << 26, max_pixels=50_000_000)


def stress(count: int, seed: int, sizes: tuple[tuple[int, int], ...], a5: bool = False) -> None:
    """Accuracy on the stress deck, broken down the ways the targets are set."""
    from collections import Counter, defaultdict

    deck = deck_module.make_stress_deck(count, seed, sizes=sizes, a5=a5)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    refusals: list[tuple[str, str, bool]] = []
    times: list[float] = []
    why: Counter[str] = Counter()            # unsure rows by the reader's reason (and the mark's kind)
    why_condition: Counter[str] = Counter()  # … and by the photo's condition
    for sample in deck:
        size = "x".join(str(v) for v in sizes[(int(sample.name.split("-")[1]) // 2) % len(sizes)])
        keys = ("all", f"voter {sample.voter}", "pen voters" if sample.voter[-3:] == "pen" else
                "pencil voters", f"condition {sample.condition}", f"damage {sample.damage}", f"size {size}",
                f"{len(sample.truth.marks)} candidates",
                "paper A5" if sample.ballot.layout["page"]["width"] < 150 else "paper A4")
        for key in keys:
            groups[key]["photos"] += 1
        try:
            reading = _read(sample)
        except ScanError as error:
            refusals.append((sample.name, error.code, sample.corners_in_view))
            for key in keys:
                groups[key]["refused"] += 1
            continue
        times.append(reading["timings_ms"]["total"])
        reasons = {item["ref"]: item["reason"] for item in reading["needs_review"] if "ref" in item}
        for ref, truth in sample.truth.marks.items():
            got = reading["marks"][ref]
            outcome = "unsure" if got == "unsure" else "right" if got == truth else "MISREAD"
            for key in keys:
                groups[key]["rows"] += 1
                groups[key][outcome] += 1
            if outcome == "unsure":
                why[f"{reasons.get(ref, 'page')} ({sample.truth.kinds[ref]})"] += 1
                why_condition[f"{sample.condition}: {reasons.get(ref, 'page')}"] += 1
            if outcome == "MISREAD":
                print(f"  misread: {sample.name} {ref} {sample.truth.kinds[ref]} {truth} → {got} "
                      f"scores {reading['scores'][ref]}")
        flagged = {item["write_in"] for item in reading["needs_review"] if "write_in" in item}
        for truth in sample.truth.write_ins:
            got = reading["write_ins"][truth["index"]]
            if truth["index"] in flagged or got["mark"] == "unsure":
                outcome = "unsure"
            elif (got["mark"], got["has_name"]) != (truth["mark"], truth["has_name"]):
                outcome = "MISREAD"
                print("  write-in misread:", sample.name, truth, "→", got["mark"], got["has_name"])
            else:
                outcome = "right"
            for key in keys:
                groups[key]["write-in rows"] += 1
                groups[key][f"write-in {outcome}"] += 1
    print(f"stress deck, seed {seed}, {count} photos, sizes {[f'{w}x{h}' for w, h in sizes]}:")
    print(f"  {'group':<24}{'photos':>7}{'refused':>8}{'rows':>7}{'unsure':>9}{'misread':>8}"
          f"{'write-ins':>10}{'w-unsure':>9}{'w-misread':>10}")
    for key, c in sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        print(f"  {key:<24}{c['photos']:>7}{c['refused']:>8}{c['rows']:>7}"
              f"{c['unsure'] / max(c['rows'], 1):>9.1%}{c['MISREAD']:>8}{c['write-in rows']:>10}"
              f"{c['write-in unsure'] / max(c['write-in rows'], 1):>9.1%}{c['write-in MISREAD']:>10}")
    print("  unsure rows by reason (kind of mark): " + ", ".join(f"{k} {v}" for k, v in why.most_common()))
    print("  unsure rows by condition and reason: "
          + ", ".join(f"{k} {v}" for k, v in why_condition.most_common()))
    in_view = [(name, code) for name, code, seen in refusals if seen]
    print(f"  refusals: {len(refusals)}: " + ", ".join(f"{n} {c}{'' if s else ' (corner out of view)'}"
                                                     for n, c, s in refusals))
    wrong = [(n, c) for n, c in in_view if c not in ("too_blurred", "too_dark", "glare")]
    print(f"  refusals with all four corner squares in view, other than blur/dark/glare: {len(wrong)}")
    if times:
        print(f"  reading time: median {statistics.median(times):.1f} ms (load average "
              f"{os.getloadavg()[0]:.1f})")


def report(count: int, seed: int, sizes: tuple[tuple[int, int], ...], a5: bool = False) -> None:
    """Distributions of what the reader decides on, for empty boxes and for marked boxes
    of each writing tool: ink above this page's empty boxes (score, light share), the
    same in units of the page's own spread (z, the weaker of the two) and the ink's
    reach across the box (span); then the boxes on the wrong side of a threshold."""
    from collections import defaultdict

    import app.scan.reader as reader_module
    from app.scan import classify

    deck = deck_module.make_stress_deck(count, seed, sizes=sizes, a5=a5)
    seen: list = []
    judge = classify.judge_box

    def recording(box, empty):  # the reader's own judge, with its inputs kept
        verdict = judge(box, empty)
        seen.append((box, empty, verdict))
        return verdict

    reader_module.judge_box = recording
    rows: dict[str, list[tuple[float, float, float, float, float]]] = defaultdict(list)
    odd: list[str] = []
    try:
        for sample in deck:
            seen.clear()
            try:
                _read(sample)
            except ScanError:
                continue
            boxes = iter(seen)
            for candidate in sample.ballot.layout["candidates"]:
                truth = sample.truth.marks[candidate["ref"]]
                for side in ("yes", "no"):
                    box, empty, verdict = next(boxes)
                    marked = truth == side
                    label = f"marked {sample.voter}" if marked else "empty"
                    values = (box.score - empty.score, box.light - empty.light, verdict.evidence,
                              box.span, box.reach)
                    rows[label].append(values)
                    rows[f"{label[:6]} {sample.condition}"].append(values)
                    if marked and verdict.state == "empty" or not marked and verdict.state == "marked":
                        odd.append(f"{sample.name} {candidate['ref']} {side} truth "
                                   f"{'marked' if marked else 'empty'} read {verdict.state}: "
                                   f"score {values[0]:.3f} light {values[1]:.3f} z {values[2]:.1f} "
                                   f"span {values[3]:.2f} (page spread {empty.score_spread:.3f} "
                                   f"{empty.light_spread:.3f})")
    finally:
        reader_module.judge_box = judge
    qs = (0, 1, 5, 25, 50, 75, 95, 99, 100)
    print(f"box measures on the stress deck ({count} photos, seed {seed}); thresholds: definite "
          f"z ≥ {classify.DEFINITE_Z}, marginal z ≥ {classify.MARGINAL_Z}, span ≥ {classify.DEFINITE_SPAN}")
    for index, measure in enumerate(("score above empty", "light above empty", "z (weaker measure)",
                                     "span", "reach (relative to the box's darkest)")):
        print(f"  {measure}:")
        print(f"    {'boxes':<24}{'n':>6}" + "".join(f"{'p' + str(q):>8}" for q in qs))
        for label in sorted(rows):
            v = [row[index] for row in rows[label]]
            print(f"    {label:<24}{len(v):>6}" + "".join(f"{percentile(v, q):>8.3f}" for q in qs))
    print(f"  boxes read on the wrong side (a silent misread if the row is not flagged): {len(odd)}")
    for line in odd:
        print("   ", line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--sizes", default="1600x1200,4000x3000")
    parser.add_argument("--hard", action="store_true")
    parser.add_argument("--accuracy", action="store_true")
    parser.add_argument("--stress", action="store_true")
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--a5", action="store_true", help="stress deck: every third photo an A5 ballot")
    args = parser.parse_args(argv)
    sizes = tuple(tuple(int(v) for v in text.split("x")) for text in args.sizes.split(","))
    if args.stress or args.report:
        cv2.setNumThreads(1)
        (stress if args.stress else report)(args.count, args.seed if args.seed != 99 else 14, sizes, args.a5)
        return
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
