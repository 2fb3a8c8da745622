"""Cases: create and list, within the teams an actor belongs to."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.domain.actor import Actor
from facilitator.domain.privacy import check_case_label
from facilitator.extensions import db
from facilitator.models import Case, Team


class CaseWarning(ValueError):
    """The label needs the user's confirmation before it is saved."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("; ".join(warnings))
        self.warnings = warnings


def create_case(actor: Actor, team: Team, label: str, confirmed: bool = False) -> Case:
    """Create a case under a team; raise LabelError or CaseWarning for a risky label."""
    cleaned, warnings = check_case_label(label)
    if warnings and not confirmed:
        raise CaseWarning(warnings)
    case = Case(team_id=team.id, label=cleaned, created_by_id=actor.user_id)
    db.session.add(case)
    db.session.commit()
    return case


def cases_for(actor: Actor) -> list[Case]:
    """The cases this staff actor may see, newest first."""
    query = select(Case).order_by(Case.created_at.desc(), Case.id.desc())
    if actor.role != "admin":
        query = query.where(Case.team_id.in_(actor.team_ids))
    return list(db.session.scalars(query))
