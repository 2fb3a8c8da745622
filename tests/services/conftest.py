"""A live meeting of one team, with services called directly inside an app context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from builders import add_op, make_case, make_meeting, make_team, make_user, staff_in

from facilitator.domain.errors import OperationError
from facilitator.identity import Actor
from facilitator.models import Case, Meeting, Team, User
from facilitator.services import board as board_service


@dataclass
class Board:
    team: Team
    user: User
    case: Case
    meeting: Meeting
    actor: Actor

    @property
    def id(self) -> int:
        return self.meeting.id

    def apply(self, raw: dict[str, Any], actor: Actor | None = None) -> board_service.OpResult:
        return board_service.apply_operation(actor or self.actor, raw)

    def add(self, text: str = "An item", section: str = "harm", actor: Actor | None = None) -> int:
        """Add an item and return its id."""
        return self.apply(add_op(self.id, text, section), actor).event["item"]["id"]

    def refuse(self, raw: dict[str, Any], actor: Actor | None = None) -> OperationError:
        """Apply an operation that must be refused; return the refusal."""
        with pytest.raises(OperationError) as refused:
            self.apply(raw, actor)
        return refused.value


@pytest.fixture
def board(ctx: None) -> Board:
    team = make_team()
    user = make_user("supervisor", team)
    case = make_case(team, user)
    meeting = make_meeting(case, user)
    return Board(team, user, case, meeting, staff_in(meeting, user))
