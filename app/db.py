"""The request's database handle, kept on `g` and closed with the app context."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlite_utils import Database

from .store import connect, migrate


def get_db() -> Database:
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db(app: Flask) -> None:
    """Create or migrate the database at start-up."""
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
    finally:
        db.close()
