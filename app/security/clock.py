"""The time as the security rules see it (session age, idle time, token expiry).

One function, looked up through the module on every call, so a test can move the clock
with `monkeypatch.setattr(clock, "utcnow", ...)` without touching the rest of the app.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """The project's timestamp format (see app/store/clock.py): UTC, ISO 8601, microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
