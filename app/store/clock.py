"""Timestamps in one format everywhere: UTC, ISO 8601, microseconds."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def coarse_time(iso: str) -> str:
    """An ISO timestamp cut to the minute (R10: a check-in time to the microsecond could
    be matched to a print batch) (`2026-05-01T09:41`), with its zone kept."""
    zone = iso[26:] if len(iso) > 26 and iso[19] == "." else iso[19:]
    return iso[:16] + zone
