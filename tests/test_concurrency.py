"""Many tablets on one round at once, against the real server (gunicorn, 2 workers × 8
threads, one SQLite file): 16 clients send ballots, rescans with the same choices,
rescans with different ones and resends of unacknowledged ballots, all mixed. Afterwards
every acknowledged ballot is there exactly once, every conflict is listed, the live tally
equals a recount of the counted ballots, and the database is intact."""

from __future__ import annotations

import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from test_counting_support import PASSWORD

from app.ballots.issue import issue_serials
from app.ballots.serials import sign
from app.counting import counted_ballots, live_tally, load_context
from app.record import recount
from app.rules import Ballot, count_ballots
from app.store import audit, connect

CLIENTS = 16
BALLOTS = 160
USERS = ["teller1", "teller2", "teller3", "scrutineer", "chief"]


def signed_in_client(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.get("/api/session").json()["csrf_token"]
    response = client.post("/api/session", json={"username": username, "password": PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.text
    client.headers["X-CSRFToken"] = response.json()["csrf_token"]
    return client


def test_sixteen_tablets_on_one_round_count_every_ballot_exactly_once(live_server):
    instance = Path(live_server.instance)
    db = connect(instance / "union.sqlite3")
    contest_id = live_server.demo["contest_ids"]["committee"]
    round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                          [contest_id]).fetchone()[0]
    # `flask --app app demo` leaves round 1 open, ready to print and count.
    assert db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()[0] == "open"
    serials = issue_serials(db, round_id, BALLOTS, "test").serials
    key = (instance / "ballot_key").read_text().strip()
    refs = [f"c{n}" for n in range(1, 11)]

    rng = random.Random(5)
    truth = {serial: {ref: rng.choice(("yes", "yes", "no", "abstain")) for ref in refs} for serial in serials}
    misread = set(rng.sample(serials, 16))  # a second teller reads these differently
    rescanned = set(rng.sample(sorted(set(serials) - misread), 40))  # read again, the same
    jobs = []  # (how the ballot is named, marks, client_id)
    for index, serial in enumerate(serials):
        named = {"payload": sign(key, contest_id, round_id, serial).text()} if index % 3 == 0 \
            else {"code": serial.replace("-", "").lower()} if index % 3 == 1 else {"serial": serial}
        jobs.append((named, truth[serial], str(uuid.uuid4())))
        if serial in rescanned:
            jobs.append(({"serial": serial}, truth[serial], str(uuid.uuid4())))
        if serial in misread:
            wrong = dict(truth[serial], c1="no" if truth[serial]["c1"] == "yes" else "yes")
            jobs.append(({"serial": serial}, wrong, str(uuid.uuid4())))
    jobs += [job for job in rng.sample(jobs, 30)]  # resends of unacknowledged ballots: same client_id
    rng.shuffle(jobs)

    clients = [signed_in_client(live_server.url, USERS[n % len(USERS)]) for n in range(CLIENTS)]
    acknowledged: dict[str, dict] = {}
    latencies: list[float] = []

    def send(index_job):
        index, (named, marks, client_id) = index_job
        client = clients[index % CLIENTS]
        body = {"client_id": client_id, "marks": marks, **named}
        started = time.monotonic()
        for _attempt in range(5):  # a tablet resends (same client_id) when the network drops
            try:
                response = client.post(f"/api/rounds/{round_id}/ballots", json=body)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        latencies.append(time.monotonic() - started)
        assert response.status_code == 200, response.text
        return client_id, response.json()

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            for client_id, answer in pool.map(send, enumerate(jobs)):
                acknowledged[client_id] = answer
    finally:
        for client in clients:
            client.close()

    # Every acknowledged ballot is there exactly once.
    acked_serials = {answer["serial"] for answer in acknowledged.values()}
    assert acked_serials == set(serials)
    rows = db.execute("SELECT serial, status FROM ballot WHERE round_id = ?", [round_id]).fetchall()
    assert sorted(row["serial"] for row in rows) == sorted(serials)
    # One submission per distinct client_id: a resend is never recorded twice.
    assert db.execute("SELECT count(*) FROM ballot_submission").fetchone()[0] == len(acknowledged)
    # Conflicts are exactly the ballots read two ways, and all of them are listed.
    assert {row["serial"] for row in rows if row["status"] == "conflict"} == misread
    scrutineer = signed_in_client(live_server.url, "scrutineer")
    listed = scrutineer.get(f"/api/rounds/{round_id}/conflicts").json()["ballots"]
    scrutineer.close()
    assert {ballot["serial"] for ballot in listed} == misread
    assert all(len(ballot["versions"]) == 2 for ballot in listed)
    # The live tally is the recount of the counted ballots.
    ctx = load_context(db, round_id)
    ballots = counted_ballots(db, round_id)
    assert len(ballots) == BALLOTS - len(misread)
    tally, version = live_tally(db, round_id)
    assert tally.as_dict() == count_ballots(ctx.contest, ballots).as_dict()
    assert recount(ctx.contest, ballots)["ballots"]["recorded"] == tally.recorded
    # …and what the tablets meant: the tally of the true readings of the undisputed ballots.
    meant = [Ballot(serial, truth[serial]) for serial in serials if serial not in misread]
    assert tally.as_dict() == count_ballots(ctx.contest, meant).as_dict()
    assert version >= BALLOTS
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert audit.verify_chain(db).ok
    # No tablet waited long (SQLite takes one writer at a time; each waits its turn).
    latencies.sort()
    print(f"\n{len(jobs)} requests, {CLIENTS} clients: median {latencies[len(latencies) // 2] * 1000:.0f} ms,"
          f" p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    assert latencies[-1] < 10, f"slowest request took {latencies[-1]:.1f}s"
    db.close()
