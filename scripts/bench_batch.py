"""Benchmark of batch reading (issue 13): a 300-page stack scanned at 200 dpi through the
`scan-batch` command, as the chief scrutineer would run it.

Prints and writes bench_batch.json: wall time, pages per minute, silent misreads (a row
read as a decided mark that is not what the voter marked), wrong serials, unsure share
of rows, foreign and blank pages refused, and the peak memory (all processes of the
command together, sampled from /proc) for a 100-page and a 300-page stack. Then the
small stack once more with the command pinned to one core (`taskset -c 0`: one worker,
in the command's own process), for the CPU per page, which the machine's load hardly
moves; CPU per page × pages / 2 is the wall time two idle cores would take (an
estimate, printed next to the measured wall time and the load average).

    .venv/bin/python scripts/bench_batch.py [--pages 300] [--small 100] [--dpi 200]

The machine is shared; the wall times move with its load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_scan_deck  # noqa: E402


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, in kB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/status") as handle:
                vm = next((line for line in handle if line.startswith("VmRSS:")), "VmRSS: 0 kB")
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(vm.split()[1])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def run_command(instance: Path, round_id: int, stack: Path, out: Path, *,
                pin: bool = False) -> dict[str, Any]:
    env = {**os.environ, "UNION_INSTANCE_DIR": str(instance)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    pinned = ["taskset", "-c", "0"] if pin else []
    process = subprocess.Popen([*pinned, str(ROOT / ".venv/bin/flask"), "--app", "app", "scan-batch",
                                str(round_id), str(stack), "--out", str(out)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its workers, once reaped
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"scan-batch failed ({process.returncode})")
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_mb": round(peak / 1024),
            "summary": json.loads(stdout.splitlines()[-1])}


def score(readings: list[dict[str, Any]], truths: list[make_scan_deck.PageTruth]) -> dict[str, Any]:
    misreads, wrong_serials, rows, unsure, pages_with_misread = 0, 0, 0, 0, []
    refused_right, refused_wrongly, missed_refusals, to_check = 0, 0, 0, 0
    for reading, truth in zip(readings, truths, strict=True):
        if truth.kind != "ballot":
            if reading["refused"] in ("blank_page", "not_a_ballot"):
                refused_right += 1
            else:
                missed_refusals += 1
            continue
        if reading["refused"]:
            refused_wrongly += 1
            continue
        if "unsure" in reading["marks"].values() or any(w["mark"] == "unsure" or w["has_name"]
                                                        for w in reading["write_ins"]):
            to_check += 1  # a person looks: an unsure row or a written-in name to type
        if reading["serial"] != truth.serial:
            wrong_serials += 1
        for ref, mark in reading["marks"].items():
            rows += 1
            if mark == "unsure":
                unsure += 1
            elif mark != truth.marks.get(ref):
                misreads += 1
                pages_with_misread.append(reading["page"])
        for item, expected in zip(reading["write_ins"], truth.write_ins, strict=False):
            rows += 1
            if item["mark"] == "unsure":
                unsure += 1
            elif item["mark"] != expected["mark"] or item["has_name"] != expected["has_name"]:
                misreads += 1
                pages_with_misread.append(reading["page"])
    return {"silent_misreads": misreads, "misread_pages": sorted(set(pages_with_misread)),
            "wrong_serials": wrong_serials, "rows": rows, "unsure_rows": unsure,
            "unsure_share": round(unsure / max(rows, 1), 4),
            "pages_to_check": to_check, "ballots_refused": refused_wrongly,
            "blank_and_foreign_refused": refused_right,
            "blank_or_foreign_not_refused": missed_refusals}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--dpi", type=int, choices=(200, 300), default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--write-ins", type=float, default=0.2,
                        help="share of voters who may write names in (each row then 50 %%)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the stacks in this folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    instance = work / "instance"
    env = {**os.environ, "UNION_INSTANCE_DIR": str(instance)}
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "app"]
    subprocess.run([*flask, "demo"], cwd=ROOT, env=env, check=True, capture_output=True)

    os.environ["UNION_INSTANCE_DIR"] = str(instance)
    from app import create_app
    from app.ballots.issue import issue_serials
    from app.ballots.round_layout import round_layout
    from app.ballots.serials import sign
    from app.congress.rounds import open_round
    from app.db import get_db
    from app.store.states import DRAFT

    app = create_app()
    with app.app_context():
        db = get_db()
        contest_id = db.execute("SELECT id FROM contest ORDER BY position, id LIMIT 1").fetchone()[0]
        round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                              [contest_id]).fetchone()[0]
        if db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()[0] == DRAFT:
            open_round(db, round_id, "bench")  # the demo may have opened it already
        serials = issue_serials(db, round_id, args.pages, "bench").serials
        layout = round_layout(db, round_id)
        key = app.config["BALLOT_KEY"]
    ballots = [(sign(key, contest_id, round_id, serial).text(), serial) for serial in serials]
    blanks, foreign = max(1, args.pages // 30), max(1, args.pages // 150)
    figures: dict[str, Any] = {"dpi": args.dpi, "candidates": len(layout["candidates"]),
                               "write_in_rows": len(layout["write_ins"]), "cores": os.cpu_count(),
                               "write_in_share": args.write_ins,
                               "load_before": os.getloadavg()}
    for label, count in (("small", args.small), ("full", args.pages)):
        stack = work / f"stack-{count}.pdf"
        rng = random.Random(args.seed + count)
        chosen = ballots[:count - blanks - foreign]
        copier = make_scan_deck.Copier(dpi=args.dpi, colour=False, quality=rng.choice((75, 85)))
        started = time.perf_counter()
        truths = make_scan_deck.write_stack(stack, layout, chosen, copier=copier, seed=args.seed + count,
                                            blanks=blanks, foreign=foreign, write_in_share=args.write_ins)
        print(f"{label}: {len(truths)} pages written in {time.perf_counter() - started:.0f} s "
              f"({stack.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
        out = work / f"readings-{count}.json"
        run = run_command(instance, round_id, stack, out)
        readings = json.loads(out.read_text())
        figures[label] = {"pages": len(truths), **run, **score(readings, truths),
                          "pages_per_minute": round(len(truths) / run["wall_s"] * 60),
                          "cpu_ms_per_page": round(run["cpu_s"] / len(truths) * 1000)}
        print(json.dumps({label: figures[label]}, ensure_ascii=False), file=sys.stderr)
        if label == "small":
            pinned = run_command(instance, round_id, stack, work / "readings-pinned.json", pin=True)
            same = json.loads((work / "readings-pinned.json").read_text()) == readings
            figures["one_core"] = {"pages": len(truths), **pinned, "same_readings": same,
                                   "cpu_ms_per_page": round(pinned["cpu_s"] / len(truths) * 1000)}
            print(json.dumps({"one_core": figures["one_core"]}, ensure_ascii=False), file=sys.stderr)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            stack.rename(args.keep / stack.name)
    per_page = figures["one_core"]["cpu_ms_per_page"]
    figures["idle_two_core_estimate_s"] = round(per_page * figures["full"]["pages"] / 2 / 1000, 1)
    figures["load_after"] = os.getloadavg()
    (ROOT / "bench_batch.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
