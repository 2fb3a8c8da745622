"""Every form and query value, cleaned once as it arrives.

Control characters, bidi overrides and lone surrogates never reach a service, a query
or a stored row (fields.without_unsafe): a NUL that PostgreSQL refuses, an ESC that breaks
a Word export, a right-to-left override that makes a name read as another. Passwords are
left as typed: they are only hashed, never stored, shown or searched.
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from facilitator.domain.fields import without_unsafe


def _cleaned(values: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict(
        (without_unsafe(key), value if "password" in key else without_unsafe(value))
        for key, value in values.items(multi=True)
    )


class CleanRequest(Request):
    """A request whose form and query values are clean (files are read by their parsers)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _cleaned(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:  # type: ignore[override]
        return _cleaned(super().args)
