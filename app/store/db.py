"""Opening the database: one SQLite file, WAL mode, durable commits, foreign keys on.

`synchronous=FULL` makes every commit wait for the WAL to reach the disk, so a ballot
acknowledged to a tablet survives a crash of the server or of the machine.

Writers take turns through an OS file lock beside the database (`<db>.lock`, flock)
before they begin: SQLite's own busy handler makes a waiting writer sleep and poll, with
naps of up to 100 ms, so under many tablets at once some waited seconds and a few ran out
of time ("database is locked"). A blocked flock wakes the moment the lock is free, across
threads and gunicorn's worker processes alike.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000


class WriteLock:
    """An exclusive lock on `<db>.lock`, one open file per connection (so it also
    separates threads of one process) and re-entrant within its own thread."""

    def __init__(self, db_path: str) -> None:
        self.path = f"{db_path}.lock"
        self.fd: int | None = None
        self.depth = 0
        self.owner: int | None = None

    def __enter__(self) -> WriteLock:
        if self.owner == threading.get_ident():
            self.depth += 1
            return self
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)  # releases the GIL while it waits
        self.owner, self.depth = threading.get_ident(), 1
        return self

    def __exit__(self, *_exc: object) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.owner = None
            fcntl.flock(self.fd, fcntl.LOCK_UN)  # type: ignore[arg-type]

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Store(Database):
    """A sqlite-utils Database that also owns its write lock."""

    write_lock: WriteLock | None = None

    def close(self) -> None:
        super().close()
        if self.write_lock is not None:
            self.write_lock.close()


def connect(path: str | Path) -> Store:
    """Open (creating if needed) the database at `path` with the project's pragmas."""
    memory = str(path) == ":memory:"
    if not memory:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    db = Store(conn)
    db.write_lock = None if memory else WriteLock(str(path))
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return db


@contextmanager
def _lock_for_writing(db: Database) -> Iterator[None]:
    lock = getattr(db, "write_lock", None)
    if lock is None:
        yield
        return
    with lock:
        yield


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """A write transaction: the writers' turn (see above), then BEGIN IMMEDIATE so that no
    one can take the write lock between our reads and our writes. Everything inside
    commits together, durably, or not at all. Nested calls (and sqlite-utils calls
    inside) become savepoints."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    with _lock_for_writing(db):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")


def row_id(lastrowid: int | None) -> int:
    """The id SQLite gave the row a cursor just inserted (sqlite3 types it as optional;
    after an INSERT it never is)."""
    if lastrowid is None:
        raise RuntimeError("no row was inserted")
    return lastrowid
