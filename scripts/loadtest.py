"""Load test: many tablets record ballots at once against the real server.

    .venv/bin/python scripts/loadtest.py [--clients 32] [--ballots 20000]

It prepares a fresh installation (the demo congress, every contest's round 1 opened and
its ballots printed), starts the production server (gunicorn, as scripts/run.sh does),
and has `clients` threads submit ballots across the rounds, with duplicate submissions
(a tablet resending, a second teller rescanning the same sheet) and conflicting ones (a
rescan read differently) mixed in. Afterwards it checks: every acknowledged ballot is
there exactly once, every conflict is listed for the scrutineers, and each round's live
tally equals a recount of its export. The same functions drive the smaller load and
crash tests in tests/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The demo accounts get this password (app/demo.py reads the variable; tests set it too).
PASSWORD = os.environ.setdefault("UNION_DEMO_PASSWORD", "lt-" + secrets.token_urlsafe(12))
TELLERS = ("teller1", "teller2", "teller3")


@dataclass
class RoundPlan:
    round_id: int
    refs: list[str]
    seats: int
    serials: list[str]


@dataclass
class Work:
    round_id: int
    serial: str
    marks: dict[str, str]
    client_id: str
    kind: str  # first, resend (same client id), rescan (new client id, same marks), conflict


@dataclass
class Outcome:
    acked: dict[str, tuple[Work, str]] = field(default_factory=dict)  # client_id → (work, status)
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def prepare(instance: Path, ballots_per_round: int) -> list[RoundPlan]:
    """A fresh installation in `instance`: demo congress, all round 1s open, serials printed."""
    os.environ["UNION_INSTANCE_DIR"] = str(instance)
    from app.ballots.issue import issue_serials
    from app.congress.rounds import open_round
    from app.demo import create_demo
    from app.store import connect, migrate

    db = connect(instance / "union.sqlite3")
    migrate(db)
    ids = create_demo(db)
    plans = []
    for contest_id in ids["contest_ids"].values():
        row = db.execute("SELECT id, seats FROM round WHERE contest_id = ? AND number = 1",
                         [contest_id]).fetchone()
        open_round(db, row["id"], "loadtest")
        refs = [r[0] for r in db.execute("SELECT ref FROM candidate WHERE contest_id = ? ORDER BY id",
                                          [contest_id])]
        serials: list[str] = []
        while len(serials) < ballots_per_round:  # printed in batches, as a print shop would
            batch = min(5000, ballots_per_round - len(serials))
            serials += issue_serials(db, row["id"], batch, "loadtest").serials
        plans.append(RoundPlan(row["id"], refs, row["seats"], serials))
    db.close()
    return plans


def _marks(rng: random.Random, plan: RoundPlan) -> dict[str, str]:
    approve = set(rng.sample(plan.refs, rng.randint(0, min(plan.seats, len(plan.refs)))))
    return {ref: "yes" if ref in approve else rng.choice(("no", "abstain")) for ref in plan.refs}


def make_work(plans: list[RoundPlan], total: int, seed: int = 1, resend: float = 0.04,
              rescan: float = 0.03, conflict: float = 0.01) -> list[Work]:
    """`total` first submissions spread over the rounds, plus resends, rescans and conflicts."""
    rng = random.Random(seed)
    work: list[Work] = []
    per_round = -(-total // len(plans))
    for plan in plans:
        for serial in plan.serials[:per_round]:
            first = Work(plan.round_id, serial, _marks(rng, plan), str(uuid.uuid4()), "first")
            work.append(first)
            draw = rng.random()
            if draw < resend:
                work.append(Work(plan.round_id, serial, first.marks, first.client_id, "resend"))
            elif draw < resend + rescan:
                work.append(Work(plan.round_id, serial, first.marks, str(uuid.uuid4()), "rescan"))
            elif draw < resend + rescan + conflict:
                other = dict(first.marks)
                ref = rng.choice(plan.refs)
                # read differently, never with more approvals (the first reading stays valid)
                other[ref] = {"yes": "no", "no": "abstain", "abstain": "no"}[other[ref]]
                work.append(Work(plan.round_id, serial, other, str(uuid.uuid4()), "conflict"))
    return work[: total + total // 10]


def signed_in_headers(base_url: str, username: str) -> tuple[dict[str, str], httpx.Cookies]:
    """Sign in once; the session cookie and CSRF token are then shared by many clients."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        token = client.get("/api/session").json()["csrf_token"]
        response = client.post("/api/session", json={"username": username, "password": PASSWORD},
                               headers={"X-CSRFToken": token})
        response.raise_for_status()
        return {"X-CSRFToken": response.json()["csrf_token"]}, client.cookies


def run_clients(base_url: str, work: list[Work], clients: int = 32, stop: threading.Event | None = None,
                retries: bool = True, outcome: Outcome | None = None,
                sessions: list[tuple[dict[str, str], httpx.Cookies]] | None = None) -> Outcome:
    """Submit `work` from `clients` threads. A resubmission never goes out before the
    submission it repeats was acknowledged, as on a real tablet. With `retries`, a
    request that fails on the network is sent again (same client id) until it is
    acknowledged or `stop` is set."""
    outcome = outcome if outcome is not None else Outcome()
    sessions = sessions or [signed_in_headers(base_url, name) for name in TELLERS]
    firsts = [w for w in work if w.kind == "first"]
    seconds = [w for w in work if w.kind != "first"]
    done_first: dict[str, threading.Event] = {w.serial + str(w.round_id): threading.Event() for w in firsts}
    queue = firsts + seconds
    position = iter(range(len(queue)))
    position_lock = threading.Lock()

    def submit(client: httpx.Client, item: Work) -> None:
        body = {"client_id": item.client_id, "serial": item.serial, "marks": item.marks}
        while stop is None or not stop.is_set():
            started = time.perf_counter()
            try:
                response = client.post(f"/api/rounds/{item.round_id}/ballots", json=body)
            except httpx.HTTPError as error:
                if not retries:
                    with outcome.lock:
                        outcome.errors.append(f"{item.serial}: {error!r}")
                    return
                time.sleep(0.05)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with outcome.lock:
                if response.status_code == 200:
                    outcome.acked[item.client_id + ":" + item.kind] = (item, response.json()["status"])
                    outcome.latencies_ms.append(elapsed)
                else:
                    outcome.errors.append(f"{item.serial}: {response.status_code} {response.text[:200]}")
            return

    def worker(index: int) -> None:
        headers, cookies = sessions[index % len(sessions)]
        with httpx.Client(base_url=base_url, headers=headers, cookies=cookies, timeout=30) as client:
            while stop is None or not stop.is_set():
                with position_lock:
                    at = next(position, None)
                if at is None:
                    return
                item = queue[at]
                key = item.serial + str(item.round_id)
                if item.kind != "first":
                    done_first[key].wait(timeout=60)
                submit(client, item)
                if item.kind == "first":
                    done_first[key].set()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def verify(db_path: Path, plans: list[RoundPlan], outcome: Outcome) -> list[str]:
    """Problems found after a load (an empty list when all is well)."""
    from app.counting.tally import counted_ballots, live_tally
    from app.record import load_record, recount
    from app.results.export import export_record, live_result
    from app.rules import count_ballots
    from app.store import connect

    db = connect(db_path)
    problems: list[str] = []
    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check failed")
    rows = {r["serial"]: r["status"] for r in db.execute("SELECT serial, status FROM ballot")}
    versions: dict[str, set[str]] = defaultdict(set)
    for item, _status in outcome.acked.values():
        versions[item.serial].add(json.dumps(item.marks, sort_keys=True))
    for serial, seen in versions.items():
        if serial not in rows:
            problems.append(f"acknowledged ballot {serial} is missing")
        elif len(seen) > 1 and rows[serial] != "conflict":
            problems.append(f"{serial} was read two ways but is not a conflict")
        elif len(seen) == 1 and rows[serial] != "counted":
            problems.append(f"{serial} has one reading but status {rows[serial]}")
    for plan in plans:
        tally, _version = live_tally(db, plan.round_id)
        contest, ballots = load_record(export_record(db, plan.round_id))
        if recount(contest, ballots) != live_result(db, plan.round_id):
            problems.append(f"round {plan.round_id}: live result differs from the recount of its export")
        if count_ballots(contest, counted_ballots(db, plan.round_id)).as_dict() != tally.as_dict():
            problems.append(f"round {plan.round_id}: live tally differs from a recount")
    db.close()
    return problems


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, so that kill -9 reaches master and workers."""

    def __init__(self, instance: Path, workers: int = 2, threads: int = 16,
                 front: bool = False) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = instance
        # With `front`, the stack scripts/run.sh starts: nginx on `port` (scripts/front.py)
        # in front of gunicorn on a loopback port of its own.
        self.front = front
        backend = _free_port() if front else self.port
        self.env = {**os.environ, "UNION_INSTANCE_DIR": str(instance), "PORT": str(backend),
                    "UNION_BIND": "127.0.0.1",
                    "UNION_WORKERS": str(workers), "UNION_THREADS": str(threads)}
        if front:
            self.env["UNION_BEHIND_PROXY"] = "1"
        self.backend_port = backend
        self.process: subprocess.Popen | None = None
        self.front_process: subprocess.Popen | None = None
        self.log = instance / "server.log"

    def start(self) -> Server:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "scripts/gunicorn.conf.py",
                 "app:create_app()"], cwd=ROOT, env=self.env, stdout=log, stderr=log,
                start_new_session=True)
            if self.front:
                from front import write_config

                conf = write_config(self.instance.resolve(), self.port, self.backend_port,
                                    host="127.0.0.1")
                self.front_process = subprocess.Popen(["nginx", "-c", str(conf)], stdout=log,
                                                      stderr=log, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill9(self) -> None:
        if self.process:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop_front(self) -> None:
        if self.front_process and self.front_process.poll() is None:
            self.front_process.terminate()
            try:
                self.front_process.wait(10)
            except subprocess.TimeoutExpired:
                self.front_process.kill()

    def stop(self) -> None:
        self.stop_front()
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()

    def rss_mb(self) -> float:
        """Resident memory of master and workers together, in MB."""
        if not self.process:
            return 0.0
        total = 0
        for pid_dir in Path("/proc").iterdir():
            if not pid_dir.name.isdigit():
                continue
            try:
                stat = (pid_dir / "stat").read_text().split()
                if int(stat[4]) == self.process.pid or int(pid_dir.name) == self.process.pid:
                    total += int((pid_dir / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError, ValueError):
                continue
        return total / 1e6


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--instance", type=Path, default=Path("/tmp/union-loadtest"))
    args = parser.parse_args()
    import shutil

    shutil.rmtree(args.instance, ignore_errors=True)
    args.instance.mkdir(parents=True)
    plans = prepare(args.instance, -(-args.ballots // 3) + 10)
    work = make_work(plans, args.ballots)
    server = Server(args.instance).start()
    try:
        started = time.perf_counter()
        outcome = run_clients(server.url, work, args.clients)
        seconds = time.perf_counter() - started
    finally:
        server.stop()
    problems = verify(args.instance / "union.sqlite3", plans, outcome)
    print(f"{len(outcome.acked)} submissions acknowledged in {seconds:.1f} s "
          f"({len(outcome.acked) / seconds:.0f}/s) by {args.clients} clients; "
          f"p50 {percentile(outcome.latencies_ms, 0.5):.1f} ms, "
          f"p99 {percentile(outcome.latencies_ms, 0.99):.1f} ms; "
          f"errors {len(outcome.errors)}; problems {len(problems)}")
    for problem in problems[:20]:
        print("  PROBLEM:", problem)
    sys.exit(1 if problems or outcome.errors else 0)


if __name__ == "__main__":
    main()
