"""Use cases: load, apply a domain rule, persist, commit once, return events."""
