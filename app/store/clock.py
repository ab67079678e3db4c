"""Timestamps in one format everywhere: UTC, ISO 8601, microseconds."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
