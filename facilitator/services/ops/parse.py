"""Parse: an `op`'s envelope, then its payload by its op type's parser (no database)."""

from __future__ import annotations

from typing import Any

from facilitator.domain.frameworks import Framework
from facilitator.domain.operations import Envelope, parse_envelope
from facilitator.services.ops.types import OP_TYPES


def envelope(raw: Any) -> Envelope:
    """The envelope of a client's `op` (op_id, meeting_id, a known type, a payload object),
    or OperationError."""
    return parse_envelope(raw, OP_TYPES)


def command(parsed: Envelope, framework: Framework) -> Any:
    """The payload as its op type's command, checked against the meeting's framework."""
    return OP_TYPES[parsed.type].parse(parsed.payload, framework)
