"""Scaling rounds applied: open, rate, reveal, reopen (DOMAIN.md §1 "Scaling").

Each function runs inside the operation pipeline's transaction (services/board.py) and
returns (event type, event data). A rating's number and reason are stored whole; until
the round is revealed they leave the server only to their rater (domain/visibility.py
for events, rounds_for for snapshots).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitator import access
from facilitator.domain import scaling as commands
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Item, Meeting, Rating, ScaleRound
from facilitator.models.types import utcnow
from facilitator.presenters import scale_round_json
from facilitator.services import agency, in_room
from facilitator.services.ops.rows import MeetingRef

Result = tuple[str, dict[str, Any]]


def _meeting(actor: Actor, ref: MeetingRef, action: str) -> Meeting:
    meeting = db.session.get(Meeting, ref.id)
    assert meeting is not None
    if not access.can(actor, action, meeting):
        raise forbidden()
    return meeting


def _round(meeting: Meeting, round_id: int) -> ScaleRound:
    scale_round = db.session.get(ScaleRound, round_id)
    if scale_round is None or scale_round.meeting_id != meeting.id:
        raise OperationError("not_found", N_("That scaling round is not in this meeting."))
    return scale_round


def _ratings(scale_round: ScaleRound) -> list[Rating]:
    return list(
        db.session.scalars(
            select(Rating).where(Rating.round_id == scale_round.id).order_by(Rating.id)
        )
    )


def _open_round(meeting_id: int) -> ScaleRound | None:
    return db.session.scalars(
        select(ScaleRound).where(ScaleRound.meeting_id == meeting_id, ScaleRound.status == "open")
    ).first()


def _refuse_if_one_is_open(meeting: Meeting) -> None:
    if _open_round(meeting.id) is not None:
        raise OperationError(
            "invalid", N_("A scaling round is already open: reveal it before opening another.")
        )


def _round_json(scale_round: ScaleRound) -> dict[str, Any]:
    db.session.flush()
    return scale_round_json(scale_round, _ratings(scale_round))


def open_scale_round(actor: Actor, ref: MeetingRef, command: commands.OpenScaleRound) -> Result:
    meeting = _meeting(actor, ref, "meeting.lead")
    if command.danger_item_id is not None:
        item = db.session.get(Item, command.danger_item_id)
        if item is None or item.meeting_id != meeting.id or item.deleted:
            raise OperationError("not_found", N_("That item is no longer on the board."))
        if item.section != "danger" or item.hidden or item.family_private or item.merged_into_id:
            raise OperationError("invalid", N_("A scale can be given to a danger statement only."))
    _refuse_if_one_is_open(meeting)
    scale_round = ScaleRound(
        meeting_id=meeting.id,
        danger_item_id=command.danger_item_id,
        status="open",
        anonymous=command.anonymous,
        reveal_threshold=agency.reveal_threshold(),
        opened_at=utcnow(),
    )
    db.session.add(scale_round)
    return "scale_round_opened", {"scale_round": _round_json(scale_round)}


def rate(actor: Actor, ref: MeetingRef, command: commands.Rate) -> Result:
    meeting = _meeting(actor, ref, "scale.rate")
    if actor.participant_id is None:
        raise forbidden()
    scale_round = _round(meeting, command.round_id)
    if scale_round.status != "open":
        raise OperationError("invalid", N_("This round is not open for ratings; ask to reopen it."))
    speaker = in_room.speaker_for(actor, meeting, command.on_behalf_of)
    rating = db.session.scalars(
        select(Rating).where(
            Rating.round_id == scale_round.id, Rating.participant_id == speaker.participant_id
        )
    ).first()
    if rating is None:  # a second rating replaces the first
        rating = Rating(round_id=scale_round.id, participant_id=speaker.participant_id)
        db.session.add(rating)
    rating.value = command.value
    rating.reason = command.reason
    rating.scribe_id = speaker.scribe_id
    rating.updated_at = utcnow()
    db.session.flush()
    rated = sorted(r.participant_id for r in _ratings(scale_round))
    return "rating_given", {
        "scale_round": {"id": scale_round.id, "rated": rated},
        # the number and reason reach only the rater (or their scribe) before the reveal:
        # visibility.py
        "rating": {
            "participant_id": speaker.participant_id,
            "value": command.value,
            "reason": command.reason,
        },
        **speaker.on_behalf_of(),
    }


def _refuse_below_threshold(scale_round: ScaleRound) -> None:
    """A reveal with fewer raters than the threshold could trace a rating to one person."""
    rated = len(_ratings(scale_round))
    if rated < scale_round.reveal_threshold:
        raise OperationError(
            "too_few_ratings",
            N_("Only %(rated)s of the %(needed)s ratings needed have been given: wait for more "
               "people to rate before the reveal, so no rating can be traced to one person."),
            rated=rated, needed=scale_round.reveal_threshold,
        )  # fmt: skip


def reveal_scale_round(actor: Actor, ref: MeetingRef, command: commands.RevealScaleRound) -> Result:
    meeting = _meeting(actor, ref, "meeting.lead")
    scale_round = _round(meeting, command.round_id)
    if scale_round.status != "open":
        raise OperationError("invalid", N_("This round has already been revealed."))
    _refuse_below_threshold(scale_round)
    scale_round.status = "revealed"
    scale_round.revealed_at = utcnow()
    return "scale_round_revealed", {"scale_round": _round_json(scale_round)}


def reopen_scale_round(actor: Actor, ref: MeetingRef, command: commands.ReopenScaleRound) -> Result:
    meeting = _meeting(actor, ref, "meeting.lead")
    scale_round = _round(meeting, command.round_id)
    if scale_round.status != "revealed":
        raise OperationError("invalid", N_("This round is already open."))
    _refuse_if_one_is_open(meeting)
    scale_round.status = "open"
    scale_round.revealed_at = None
    return "scale_round_reopened", {"scale_round": _round_json(scale_round)}


def rounds_for(meeting_id: int, viewer: int | None) -> list[dict[str, Any]]:
    """A meeting's rounds as this participant may see them: everyone's values once
    revealed, and before that only the viewer's own rating, as `mine`."""
    rounds = db.session.scalars(
        select(ScaleRound).where(ScaleRound.meeting_id == meeting_id).order_by(ScaleRound.id)
    )
    shown = []
    for scale_round in rounds:
        ratings = _ratings(scale_round)
        data = scale_round_json(scale_round, ratings)
        own = [r for r in ratings if viewer is not None and r.participant_id == viewer]
        data["mine"] = {"value": own[0].value, "reason": own[0].reason} if own else None
        shown.append(data)
    return shown
