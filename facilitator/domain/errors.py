"""The errors a command can end in; each code is part of the wire protocol."""

from __future__ import annotations


class OperationError(Exception):
    """A refused command: nothing was written."""

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, **self.details}


class UserError(ValueError):
    """A refused request whose message (marked with N_) is translated where it is shown."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
