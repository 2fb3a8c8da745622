"""Marking user-facing strings for translation inside the pure domain."""


def N_(text: str) -> str:  # noqa: N802  (the gettext convention for "translate later")
    """Mark a string for the catalog without translating it here; it is translated where shown."""
    return text
