"""Meeting steps: the default agenda of each meeting kind, and the rules for editing one.

Group supervision follows DOMAIN.md §2 (nine steps with default minutes); a family team
meeting follows §3's typical agenda. Each step says what it is for and which sections of
the map it works on, so participants and the display can follow it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from facilitator.domain.errors import OperationError
from facilitator.domain.text import N_

STEPS_MAX = 20
STEP_TITLE_MAX = 80
STEP_PURPOSE_MAX = 300
STEP_MINUTES_MAX = 120


@dataclass(frozen=True)
class Step:
    title: str
    minutes: int
    purpose: str = ""
    sections: tuple[str, ...] = ()
    scaling: bool = False  # the step where a scale round is expected

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "sections": list(self.sections)}


GROUP_SUPERVISION = (
    Step(
        N_("Agreements"),
        3,
        N_("Purpose, confidentiality, the right to pass, curious and non-shaming language."),
    ),
    Step(
        N_("Presenter's question"), 3, N_("What would make this consultation useful?"), ("reason",)
    ),
    Step(
        N_("Overview and who is involved"),
        5,
        N_("The family, the children and their ages, the network."),
        ("involved",),
    ),
    Step(N_("Clarifying questions"), 8, N_("Facts only: questions that help everyone understand.")),
    Step(
        N_("Mapping"),
        18,
        N_("Harm, danger, complicating factors, strengths, safety and grey areas."),
        ("harm", "danger", "complicating", "strengths", "safety", "grey", "goals"),
    ),
    Step(
        N_("Scaling"),
        4,
        N_("Everyone rates privately; then all numbers are shown at once."),
        (),
        True,
    ),
    Step(
        N_("Reflections round"),
        8,
        N_("Each member offers one idea; the presenter listens, then says what helped."),
    ),
    Step(
        N_("Next steps"),
        5,
        N_("The presenter chooses; the supervisor confirms."),
        ("next_steps", "goals"),
    ),
    Step(N_("Process check and appreciation"), 3, N_("How did this go? Thank the presenter.")),
)

FAMILY_TEAM = (
    Step(
        N_("Welcome and ground rules"),
        5,
        N_("Who is here, why we meet, how we talk to each other."),
    ),
    Step(
        N_("Strengths and the family story"),
        10,
        N_("What is working well, in the family's own words."),
        ("working",),
    ),
    Step(
        N_("Worries"), 10, N_("What everyone is worried about, and who is worried."), ("worried",)
    ),
    Step(N_("Goals"), 10, N_("What needs to happen for the child to be safe."), ("needs",), True),
    Step(
        N_("Options"),
        10,
        N_("Ideas for how to get there; no idea is wrong yet."),
        ("needs", "unknown"),
    ),
    Step(N_("Action steps"), 10, N_("Who does what, by when."), ("next_steps", "needs")),
    Step(N_("Next meeting"), 5, N_("When we meet again, and who comes.")),
)

CONSULTATION = (
    Step(N_("Question"), 5, N_("What would make this consultation useful?"), ("reason",)),
    Step(
        N_("Mapping"),
        20,
        N_("What we are worried about, what is working well, what we don't know."),
        ("harm", "danger", "complicating", "strengths", "safety", "grey"),
    ),
    Step(
        N_("Scaling"),
        5,
        N_("Everyone rates privately; then all numbers are shown at once."),
        (),
        True,
    ),
    Step(N_("Next steps"), 5, N_("Who does what, by when."), ("next_steps", "goals")),
)

DEFAULT_AGENDAS: dict[str, tuple[Step, ...]] = {
    "group_supervision": GROUP_SUPERVISION,
    "family_team": FAMILY_TEAM,
    "consultation": CONSULTATION,
}
# The step a meeting that carries an earlier one's next steps forward starts with.
REVIEW_STEP = Step(
    N_("Review next steps"),
    5,
    N_("What happened with the next steps agreed last time?"),
    ("next_steps", "next"),
)
# the same first step in a family meeting, in plain words (DOMAIN.md §3)
FAMILY_REVIEW_STEP = Step(
    N_("Look back at our steps"),
    5,
    N_("What happened with the steps we agreed? Done, not done yet, or not needed any more?"),
    ("next",),
)
BUILT_IN_STEPS: tuple[Step, ...] = (
    *(s for a in DEFAULT_AGENDAS.values() for s in a),
    REVIEW_STEP,
    FAMILY_REVIEW_STEP,
)


def default_agenda(
    kind: str, translate: Any = str, steps: tuple[Step, ...] = ()
) -> list[dict[str, Any]]:
    """The agenda a new meeting starts with, in the user's language: the framework's own
    steps when it has them, else the meeting kind's."""
    return [
        {**step.as_json(), "title": translate(step.title), "purpose": translate(step.purpose)}
        for step in steps or DEFAULT_AGENDAS.get(kind, CONSULTATION)
    ]


def _fail(message: str, **values: object) -> OperationError:
    return OperationError("invalid", message, values)


def parse_agenda(
    raw: Any, section_keys: tuple[str, ...], columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Validate an edited agenda: 1-20 steps, each titled, 1-120 minutes, known sections."""
    if not isinstance(raw, list) or not 0 < len(raw) <= STEPS_MAX:
        raise _fail(N_("An agenda has 1 to %(max)s steps."), max=STEPS_MAX)
    return [_parse_step(step, section_keys, columns) for step in raw]


def _parse_step(
    raw: Any, section_keys: tuple[str, ...], columns: tuple[str, ...]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(N_("Each step must be an object."))
    title, purpose = raw.get("title"), raw.get("purpose", "")
    if not isinstance(title, str) or not 0 < len(title.strip()) <= STEP_TITLE_MAX:
        raise _fail(
            N_("Each step needs a title of at most %(max)s characters."), max=STEP_TITLE_MAX
        )
    if not isinstance(purpose, str) or len(purpose) > STEP_PURPOSE_MAX:
        raise _fail(
            N_("A step's purpose is text of at most %(max)s characters."), max=STEP_PURPOSE_MAX
        )
    minutes = raw.get("minutes")
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not 0 < minutes <= STEP_MINUTES_MAX
    ):
        raise _fail(N_("A step lasts 1 to %(max)s minutes."), max=STEP_MINUTES_MAX)
    sections = raw.get("sections", [])
    known = set(section_keys) | set(columns)
    if not isinstance(sections, list) or not all(
        isinstance(s, str) and s in known for s in sections
    ):
        raise OperationError(
            "unknown_section", N_("A step names a section that is not on this map.")
        )
    return Step(
        title.strip(),
        minutes,
        purpose.strip(),
        tuple(dict.fromkeys(sections)),
        raw.get("scaling") is True,
    ).as_json()
