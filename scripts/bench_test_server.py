"""Benchmark: what a test's real server (tests/conftest.py `live_server`) costs to set up
and to end, the way the suite did it before and the way it does now; and what building
the application costs (every test's `app` fixture, every server worker, every command)
with the OpenAPI document written at start-up (before) or when first asked for (now).

Before: every test ran `flask demo` in a subprocess, then started gunicorn, and stopped it
gracefully afterwards. Now: `flask demo` runs once per test process (`live_demo`), each
server's instance gets a copy of its database and keys, and the server is ended at once.
Runs the two alternately (the machine's load changes; the medians are the figures).

    .venv/bin/python scripts/bench_test_server.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("UNION_DEMO_PASSWORD", "bench-" + os.urandom(8).hex())

from tests.conftest import LiveDemo, LiveServer  # noqa: E402


def timed(action) -> float:
    start = time.monotonic()
    action()
    return time.monotonic() - start


def one_run(base: Path, template: LiveDemo, run: int) -> dict[str, float]:
    old = LiveServer(base / f"old-{run}")
    old.instance.mkdir()
    figures = {"old_demo": timed(lambda: old.run_flask("demo"))}
    figures["old_start"] = timed(old.start)
    figures["old_stop"] = timed(old.stop)
    new = LiveServer(base / f"new-{run}")
    new.instance.mkdir()
    figures["new_demo"] = timed(lambda: new.load_demo(template))
    figures["new_start"] = timed(new.start)
    figures["new_stop"] = timed(lambda: (new.stop_front(), new.kill9()))
    return figures


def app_builds(runs: int) -> dict[str, float]:
    """Seconds per create_app, documenting the API at once (as before) or not (now)."""
    from app import create_app
    from app.api import api

    create_app({"TESTING": True})  # imports done
    eager, lazy = [], []
    for _ in range(runs):
        lazy.append(timed(lambda: create_app({"TESTING": True})))
        eager.append(timed(lambda: (create_app({"TESTING": True}), api._document())))  # noqa: SLF001
    return {"create_app_before": round(statistics.median(eager), 3),
            "create_app_now": round(statistics.median(lazy), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "template").mkdir()
        start = time.monotonic()
        template = LiveDemo(base / "template")
        once = time.monotonic() - start
        runs = [one_run(base, template, run) for run in range(args.runs)]
        os.environ["UNION_INSTANCE_DIR"] = str(base / "app")
        builds = app_builds(max(args.runs, 5))
    medians = {key: round(statistics.median(run[key] for run in runs), 2) for key in runs[0]}
    old = medians["old_demo"] + medians["old_start"] + medians["old_stop"]
    new = medians["new_demo"] + medians["new_start"] + medians["new_stop"]
    print(json.dumps({"runs": args.runs, "load_average": os.getloadavg()[0], "median_seconds": medians,
                      "per_test_before": round(old, 2), "per_test_now": round(new, 2),
                      "demo_once_per_process": round(once, 2), **builds}, indent=1))


if __name__ == "__main__":
    main()
