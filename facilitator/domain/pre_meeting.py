"""Before the meeting (issue 18): a young person or a parent, invited by staff, writes what
they want the meeting to know (and a young person their Three Houses: worries, good things,
dreams) before it starts, seeing nothing of the case. Their words wait, seen by the case's
staff only, until the facilitator brings each onto the board as theirs.

Who may do what is in access.py ("meeting.invite" makes invites and reads what waits,
"meeting.lead" brings it on); what it changes in services/pre_meeting.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.domain.fields import positive_int, section
from facilitator.domain.framework_shape import Framework
from facilitator.domain.text import N_

# Who may be asked, in plain words, and whose view their words are on the board.
WHO: dict[str, tuple[str, str]] = {
    "young_person": (N_("A young person"), "child"),
    "parent": (N_("A parent or caregiver"), "parent"),
}
# What they may write: the heading they see and, for the board, the sections to suggest
# (the first one the meeting's map has; else its first section after "who is here").
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "know": (N_("What I want the meeting to know"), ("worries", "grey", "harm")),
    "worries": (N_("Things that worry me"), ("house_worries", "worries", "grey")),
    "good_things": (N_("Good things in my life"), ("house_good", "working_well", "strengths")),
    "dreams": (N_("My hopes and dreams"), ("house_dreams", "next", "goals")),
}
KINDS_FOR: dict[str, tuple[str, ...]] = {
    "young_person": ("know", "worries", "good_things", "dreams"),  # the Three Houses too
    "parent": ("know",),
}
INPUT_TEXT_MAX = 1000  # a phone's worth; well under an item's 2,000
INPUTS_PER_INVITE_MAX = 30
INVITE_DAYS = 14  # from the invite until the meeting, at most; it ends with the meeting too


class PreMeetingError(ValueError):
    """A refused submission, with a message (marked with N_) for the person writing."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def input_text(raw: str) -> str:
    """What they wrote, trimmed; refuse nothing at all or too much."""
    cleaned = raw.strip()
    if not cleaned:
        raise PreMeetingError(N_("Write something first."))
    if len(cleaned) > INPUT_TEXT_MAX:
        raise PreMeetingError(
            N_("Please keep it to %(limit)s characters (this has %(count)s)."),
            limit=INPUT_TEXT_MAX,
            count=len(cleaned),
        )
    return cleaned


def input_kind(who: str, kind: str) -> str:
    """A kind of input this person may give (the Three Houses for a young person only)."""
    if kind not in KINDS_FOR.get(who, ()):
        raise PreMeetingError(N_("Choose where your words go."))
    return kind


def suggested_section(kind: str, framework: Framework) -> str | None:
    """Where on this map the facilitator is offered to put input of this kind first."""
    for key in KINDS[kind][1]:
        if framework.section(key) is not None:
            return key
    others = [s.key for s in framework.sections if s.key != "involved"]
    return others[0] if others else None


@dataclass(frozen=True)
class BringPreMeetingInput:
    input_id: int
    section: str


def parse_bring_pre_meeting_input(
    payload: dict[str, Any], framework: Framework
) -> BringPreMeetingInput:
    input_id = positive_int(payload, "input_id") or 0
    return BringPreMeetingInput(input_id, section(payload, framework))
