"""The errors a command can end in; each code is part of the wire protocol."""

from __future__ import annotations

from facilitator.domain.text import N_

TEMPLATE = "template"  # the untranslated message, in an answer until it is translated


def fill(template: str, values: dict[str, object]) -> str:
    """The message with its %(name)s placeholders filled from values (as gettext does)."""
    if "%(" not in template:
        return template
    try:
        return template % values
    except (KeyError, ValueError, TypeError):
        return template


class OperationError(Exception):
    """A refused command: nothing was written. The message (marked with N_) may hold
    %(name)s placeholders filled from params and details; it is translated where it is
    sent. Details go to the client; params only fill the message."""

    def __init__(
        self, code: str, message: str, params: dict[str, object] | None = None, **details: object
    ) -> None:
        self.template = message
        self.values = {**(params or {}), **details}
        self.message = fill(message, self.values)
        super().__init__(self.message)
        self.code = code
        self.details = details

    def as_dict(self) -> dict[str, object]:
        answer = {"code": self.code, "message": self.message, **self.details}
        if self.template != self.message:  # taken off (translated) before it is sent
            answer[TEMPLATE] = (self.template, self.values)
        return answer


class UserError(ValueError):
    """A refused request whose message (marked with N_) is translated where it is shown."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def forbidden() -> OperationError:
    """The refusal of a change this actor may not make (access.py said no)."""
    return OperationError("forbidden", N_("You can't make that change in this meeting."))


class SignedOut(OperationError):
    """The sender's identity no longer holds (removed, expired, signed out): the socket is
    closed with reason signed_out."""

    def __init__(self) -> None:
        super().__init__("unauthenticated", N_("Your session has ended. Sign in or join again."))
