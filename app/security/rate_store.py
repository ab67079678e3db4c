"""A storage for the `limits` library (Flask-Limiter) in a small SQLite file, so that every
gunicorn worker counts the same sign-in attempts without an extra server (Redis,
memcached). URI: `union-sqlite:///ABSOLUTE/PATH/ratelimit.sqlite3`.

Only what the fixed-window strategy (Flask-Limiter's default) needs: a counter per key
with an expiry, incremented in one short write transaction.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

from limits.storage import Storage


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["union-sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = (uri or "").split("://", 1)[-1] or ":memory:"
        self._local = threading.local()
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY,"
                         " value INTEGER NOT NULL, expires REAL NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # counters, not ballots
            self._local.conn = conn
        return conn

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM counter WHERE key = ? AND expires <= ?", [key, now])
            conn.execute("INSERT INTO counter (key, value, expires) VALUES (?, ?, ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
                         [key, amount, now + expiry])
            value = conn.execute("SELECT value FROM counter WHERE key = ?", [key]).fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return int(value)

    def get(self, key: str) -> int:
        row = self._connect().execute("SELECT value FROM counter WHERE key = ? AND expires > ?",
                                      [key, time.time()]).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._connect().execute("SELECT expires FROM counter WHERE key = ?",
                                      [key]).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            self._connect().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._connect().execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        self._connect().execute("DELETE FROM counter WHERE key = ?", [key])
