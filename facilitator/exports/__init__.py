"""Renderers for the case file: each takes the plain dict of services/exports.py (or the
summary built from it) and returns bytes or text. No database, no network."""
