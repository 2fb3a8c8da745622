"""Column helpers shared by the tables."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def utcnow() -> datetime:
    """Return the current time in UTC, without tzinfo (stored as UTC everywhere)."""
    return datetime.now(UTC).replace(tzinfo=None)


class code_point(FunctionElement[str]):  # noqa: N801 (reads as a SQL function)
    """A text column compared and ordered by code point, whatever the database's collation:
    an item's order key ('a0' < 'aZ' < 'aa') must not sort as en_US would ('aa' < 'aZ').
    SQLite compares bytes already; PostgreSQL is told COLLATE "C"."""

    type = Text()
    inherit_cache = True


@compiles(code_point)
def _bytes(element: code_point, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(code_point, "postgresql")
def _collate_c(element: code_point, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'
