"""The request's database handle, kept on `g` and closed with the app context."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from flask import Flask, current_app, g
from sqlite_utils import Database

from .store import connect, migrate
from .store.db import WriteLock

# Each server thread keeps its connections from request to request: opening one (and
# setting its pragmas) cost more than the rest of recording a ballot. A few per thread,
# least recently used closed first (tests open many databases in one thread).
_KEPT_PER_THREAD = 4
_local = threading.local()


def get_db() -> Database:
    if "db" not in g:
        g.db = _thread_connection(current_app.config["DATABASE"])
    return g.db


def _thread_connection(path: str) -> Database:
    kept: OrderedDict[tuple[int, str], Database] = getattr(_local, "kept", None) or OrderedDict()
    _local.kept = kept
    key = (os.getpid(), str(path))
    db = kept.pop(key, None)
    if db is None:
        db = connect(path)
    kept[key] = db
    while len(kept) > _KEPT_PER_THREAD:
        _key, oldest = kept.popitem(last=False)
        oldest.close()
    return db


def close_db(_error: BaseException | None = None) -> None:
    """End of a request: the connection stays with its thread, never with a transaction
    left open (an error half-way through is rolled back here)."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def init_db(app: Flask) -> None:
    """Create or migrate the database at start-up. gunicorn's workers start together;
    they take turns through the writers' file lock, so one creates and migrates the
    database (switching it to WAL needs it alone) and the others find it done."""
    path = app.config["DATABASE"]
    if path == ":memory:":
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    lock = WriteLock(str(path))
    try:
        with lock:
            db = connect(path)
            try:
                migrate(db)
            finally:
                db.close()
    finally:
        lock.close()
