"""Checks on settings that must never be loosened by configuration."""

from __future__ import annotations


def socket_origins(configured: list[str]) -> list[str] | None:
    """Origins the socket accepts: the configured list, else the server's own origin only.

    None tells Engine.IO to accept only same-origin browsers. An empty list would
    switch the check off, and '*' would accept any site: both are refused.
    """
    if "*" in configured:
        raise ValueError("FACILITATOR_ALLOWED_ORIGINS must list origins, never '*'.")
    return configured or None
