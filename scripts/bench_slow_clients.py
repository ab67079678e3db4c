"""Slow and idle clients against the tablets (issue 16's figure): three recording tablets
keep at least 90 % of their rate while one machine on the hall Wi-Fi holds 200 slow
connections (a header line a second) and idle ones, against the stack scripts/run.sh
starts (nginx in front of gunicorn).

    .venv/bin/python scripts/bench_slow_clients.py [--seconds 10] [--slow 200] [--idle 100]
                                                   [--workers 2] [--threads 16] [--bare]

Prints the tablets' rates before, during and after the attack, the ratio
during / mean(before, after) — the figure — and how long /api/health took under attack.
`--bare` runs the same against gunicorn alone, to show what the front server buys.
Timings are a benchmark's business: tests/test_slow_clients.py uses the same helpers
with a lenient bound.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import Server, prepare, signed_in_headers  # noqa: E402

TABLETS = ("teller1", "teller2", "teller3")


def record_for(url: str, sessions, round_id: int, refs: list[str], serials: list[str],
               seconds: float) -> int:
    """The tablets record ballots one after another for `seconds`; how many were
    acknowledged (200), all tablets together."""
    counts = [0] * len(sessions)
    deadline = time.monotonic() + seconds

    def tablet(index: int) -> None:
        headers, cookies = sessions[index]
        with httpx.Client(base_url=url, headers=headers, cookies=cookies, timeout=30) as client:
            while time.monotonic() < deadline and serials:
                serial = serials.pop()
                body = {"client_id": str(uuid.uuid4()), "serial": serial,
                        "marks": {ref: "yes" for ref in refs[:1]}}
                if client.post(f"/api/rounds/{round_id}/ballots", json=body).status_code == 200:
                    counts[index] += 1

    threads = [threading.Thread(target=tablet, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts)


def attack(port: int, stop: threading.Event, slow: int, idle: int) -> list[socket.socket]:
    """Open `slow` connections that send one header line a second (never finishing their
    request) and `idle` that send nothing, all from one address."""
    sockets = []
    for index in range(slow + idle):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if index < slow:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        sockets.append(sock)

    def drip() -> None:
        line = 0
        while not stop.wait(1.0):
            line += 1
            for sock in sockets[:slow]:
                with contextlib.suppress(OSError):  # the front may have timed it out: fine
                    sock.sendall(f"X-Slow-{line}: a\r\n".encode())

    threading.Thread(target=drip, daemon=True).start()
    return sockets


@dataclass
class Figures:
    seconds: float
    before: int
    during: int
    after: int
    health_status: int | None
    health_ms: float
    ballots_left: int

    @property
    def ratio(self) -> float:
        """The tablets' rate under attack over their rate without it (mean of before/after)."""
        baseline = (self.before + self.after) / 2
        return self.during / baseline if baseline else 0.0

    def lines(self) -> list[str]:
        rate = lambda count: f"{count / self.seconds:6.1f} ballots/s ({count} in {self.seconds:g} s)"  # noqa: E731
        return [f"{'before':<13}{rate(self.before)}", f"{'under attack':<13}{rate(self.during)}",
                f"{'after':<13}{rate(self.after)}",
                f"health under attack: {self.health_status} in {self.health_ms:.0f} ms",
                f"ratio (under attack / mean of before and after): {self.ratio:.1%}"]


def measure(url: str, port: int, round_id: int, refs: list[str], serials: list[str],
            seconds: float, slow: int, idle: int) -> Figures:
    sessions = [signed_in_headers(url, name) for name in TABLETS]
    record_for(url, sessions, round_id, refs, serials, 1.0)  # warm up: connections, caches
    before = record_for(url, sessions, round_id, refs, serials, seconds)
    stop = threading.Event()
    sockets = attack(port, stop, slow, idle)
    try:
        time.sleep(1.0)
        started = time.monotonic()
        try:
            health_status: int | None = httpx.get(f"{url}/api/health", timeout=10).status_code
        except httpx.HTTPError:
            health_status = None
        health_ms = (time.monotonic() - started) * 1000
        during = record_for(url, sessions, round_id, refs, serials, seconds)
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
    after = record_for(url, sessions, round_id, refs, serials, seconds)
    return Figures(seconds, before, during, after, health_status, health_ms, len(serials))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="each phase's length")
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (run.sh: 2)")
    parser.add_argument("--threads", type=int, default=16, help="threads per worker (run.sh: 16)")
    parser.add_argument("--ballots", type=int, default=20000, help="serials printed for the round")
    parser.add_argument("--bare", action="store_true", help="gunicorn alone, without nginx")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-slow-") as tmp:
        instance = Path(tmp)
        plan = prepare(instance, args.ballots)[0]
        serials = list(plan.serials)
        server = Server(instance, workers=args.workers, threads=args.threads, front=not args.bare)
        server.env["UNION_LOGIN_RATE_LIMIT"] = "10000 per minute"
        server.start()
        try:
            figures = measure(server.url, server.port, plan.round_id, plan.refs, serials,
                              args.seconds, args.slow, args.idle)
        finally:
            server.stop()
    stack = "gunicorn alone" if args.bare else "nginx in front of gunicorn (scripts/run.sh)"
    print(f"{len(TABLETS)} tablets; {args.slow} slow + {args.idle} idle connections; {stack};"
          f" {args.workers} workers × {args.threads} threads; {os.cpu_count()} CPUs")
    for line in figures.lines():
        print(line)
    if not figures.ballots_left:
        print("warning: the tablets ran out of ballots; raise --ballots")
    print(f"target ≥ 90 %: {'met' if figures.ratio >= 0.9 else 'MISSED'}")


if __name__ == "__main__":
    main()
