"""The request's database handle, kept on `g` and closed with the app context."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlite_utils import Database

from .store import connect, migrate
from .store.db import WriteLock


def get_db() -> Database:
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


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
