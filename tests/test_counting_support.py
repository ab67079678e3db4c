"""Helpers for the counting tests (no tests here): an open round with printed serials.

Serials are issued through app.ballots.issue, as printing does.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import pytest
from sqlite_utils import Database

from app.ballots.issue import issue_serials
from app.ballots.serials import sign
from app.congress.rounds import open_round
from tests.conftest import DEMO_PASSWORD
from tests.support.deck import deck_module

PASSWORD = DEMO_PASSWORD


def first_round(db: Database, contest_id: int) -> int:
    return db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1", [contest_id]).fetchone()[0]


def print_serials(db: Database, round_id: int, count: int) -> list[str]:
    """`count` printed serials for the round, as the printing step leaves them."""
    return issue_serials(db, round_id, count, "test").serials


@dataclass
class OpenRound:
    round_id: int
    contest_id: int
    serials: list[str]
    refs: list[str] = field(default_factory=list)

    def payload(self, key: str, serial: str) -> str:
        return sign(key, self.contest_id, self.round_id, serial).text()


def open_with_serials(db: Database, contest_id: int, count: int) -> OpenRound:
    round_id = first_round(db, contest_id)
    # The demo command's congress has round 1 open already; the test template's is in draft.
    if db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()[0] == "draft":
        open_round(db, round_id, "test")
    refs = [row[0] for row in db.execute(
        "SELECT c.ref FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ? ORDER BY c.id", [round_id])]
    return OpenRound(round_id, contest_id, print_serials(db, round_id, count), refs)


# A prepared database, built once per test module and copied for each test: the demo
# congress with the committee's round 1 open and 20 serials printed. Building the demo
# hashes six passwords (scrypt), which is what makes a fresh one slow.

TEMPLATE_SERIALS = 20


@pytest.fixture(scope="module")
def counting_template(tmp_path_factory):
    from app import create_app
    from app.db import get_db
    from app.demo import create_demo

    instance = tmp_path_factory.mktemp("counting-template")
    application = create_app({"TESTING": True, "DATABASE": str(instance / "template.sqlite3")})
    with application.app_context():
        db = get_db()
        demo = create_demo(db)
        committee = open_with_serials(db, demo["contest_ids"]["committee"], TEMPLATE_SERIALS)
    return instance / "template.sqlite3", demo, committee


@pytest.fixture
def prepared(app, counting_template):
    """The app on a fresh copy of the prepared database: (demo ids, committee round)."""
    template, demo, committee = counting_template
    source = sqlite3.connect(template)
    target = sqlite3.connect(app.config["DATABASE"])
    with target:
        source.backup(target)
    source.close()
    target.close()
    return demo, OpenRound(committee.round_id, committee.contest_id, list(committee.serials),
                           list(committee.refs))


def sign_in(client, username: str) -> None:
    """Sign a test client in and make it send the CSRF token on every later write."""
    token = client.get("/api/session").json["csrf_token"]
    response = client.post("/api/session", json={"username": username, "password": PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.json
    client.environ_base["HTTP_X_CSRFTOKEN"] = response.json["csrf_token"]


@pytest.fixture
def login(app, prepared):
    """A factory of test clients signed in as a demo user: login('teller1')."""
    def make(username: str):
        new_client = app.test_client()
        sign_in(new_client, username)
        return new_client

    return make


def open_live_round(live_server, count: int) -> tuple[OpenRound, str]:
    """On a live server's database: the committee's round 1 opened with `count` serials
    printed; also the installation's ballot key (to make QR payloads)."""
    from pathlib import Path

    from app.store import connect

    instance = Path(live_server.instance)
    db = connect(instance / "union.sqlite3")
    try:
        opened = open_with_serials(db, live_server.demo["contest_ids"]["committee"], count)
    finally:
        db.close()
    return opened, (instance / "ballot_key").read_text().strip()


def live_db(live_server):
    from pathlib import Path

    from app.store import connect

    return connect(Path(live_server.instance) / "union.sqlite3")


def http_client(url: str, username: str):
    """An httpx client signed in to a live server, sending the CSRF token."""
    import httpx

    client = httpx.Client(base_url=url, timeout=30)
    token = client.get("/api/session").json()["csrf_token"]
    response = client.post("/api/session", json={"username": username, "password": PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.text
    client.headers["X-CSRFToken"] = response.json()["csrf_token"]
    return client




def ballot_photo(layout: dict, key: str, contest_id: int, round_id: int, serial: str, seed: int,
                 both_marked: tuple[str, ...] = ()):
    """A photo of a printed ballot of this round, filled in like a voter would: (JPEG bytes,
    the truth: marks by ref and write-in rows). Candidates in `both_marked` get a cross in
    both boxes: a mark no reader may decide on its own (truth `unsure`)."""
    import random

    deck = deck_module()
    ballot = deck.Ballot(layout, sign(key, contest_id, round_id, serial).text(), contest_id, round_id, serial)
    rng = random.Random(seed)
    filled, truth = deck.fill_ballot(deck.render_page(ballot), layout, rng)
    ink, width = deck._pen(rng)
    for candidate in layout["candidates"]:
        if candidate["ref"] in both_marked:
            for side in ("yes", "no"):
                deck._draw_symbol(filled, "cross", candidate["boxes"][side], deck.PAGE_PPM, rng, ink, width)
            truth.marks[candidate["ref"]] = "unsure"
    photo, _h = deck.photograph(filled, rng)
    return photo, truth
