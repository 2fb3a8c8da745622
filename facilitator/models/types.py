"""Column helpers shared by the tables."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC, without tzinfo (stored as UTC everywhere)."""
    return datetime.now(UTC).replace(tzinfo=None)
