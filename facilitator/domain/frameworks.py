"""Board frameworks: the sections of a map, their questions and help text.

The built-in ones: the CISF map, the family map, and the other SOP tools (sop_tools.py).
An agency's own frameworks are versions stored in the database (services/frameworks.py).

Definitions follow the Consultation and Information Sharing Framework as used in
Safety Organized Practice. Strings are marked with ``N_`` so the catalog
extractor finds them; they are translated where they are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from facilitator.domain.framework_shape import LAYOUTS as LAYOUTS
from facilitator.domain.framework_shape import SHAPES as SHAPES
from facilitator.domain.framework_shape import Column as Column
from facilitator.domain.framework_shape import Framework as Framework
from facilitator.domain.framework_shape import Section as Section
from facilitator.domain.sop_tools import SOP_TOOLS
from facilitator.domain.text import N_

CONTEXT = Column("context", N_("Context"))
WORRIED = Column("worried", N_("What are we worried about?"))
WORKING = Column("working", N_("What's working well?"))
NEEDS = Column("needs", N_("What needs to happen?"))
UNKNOWN = Column("unknown", N_("What don't we know?"))

CISF = Framework(
    key="cisf",
    name=N_("CISF map (professional)"),
    mode="professional",
    columns=(CONTEXT, WORRIED, WORKING, NEEDS, UNKNOWN),
    sections=(
        Section(
            "reason",
            N_("Reason for consultation"),
            N_("The presenter's question: what would make this consultation useful?"),
            "context",
        ),
        Section(
            "involved",
            N_("Who is involved"),
            N_(
                "The people around the child: initials and ages, household, culture, "
                "the network. No full names, addresses or dates of birth."
            ),
            "context",
        ),
        Section(
            "harm",
            N_("Harm"),
            N_(
                "Looks back: what a caregiver did or failed to do, and what it did to the "
                "child, with severity and pattern. Leave empty when only risk was found."
            ),
            "worried",
        ),
        Section(
            "danger",
            N_("Danger statements"),
            N_(
                "Looks forward: who is worried that if nothing changes, what is likely to "
                "happen to the child. Each is paired with a safety goal. Keep to about three."
            ),
            "worried",
        ),
        Section(
            "complicating",
            N_("Complicating factors"),
            N_(
                "What makes the problem harder to solve but is not the harm itself: "
                "poverty, housing, substance use around the child, agency turnover."
            ),
            "worried",
        ),
        Section(
            "strengths",
            N_("Strengths"),
            N_(
                "Anything positive: love, a job, engagement with services. A strength "
                "counts as safety only when it answers a danger and has been seen over time."
            ),
            "working",
        ),
        Section(
            "safety",
            N_("Existing safety"),
            N_(
                "Protective action by caregivers or the network, shown over time, that "
                "answers a specific danger."
            ),
            "working",
        ),
        Section(
            "goals",
            N_("Safety goals"),
            N_(
                "One per danger statement: what the caregiver will be doing, what the child "
                "will experience, what we will see, and for how long. Positive behaviour."
            ),
            "needs",
        ),
        Section(
            "next_steps",
            N_("Next steps"),
            N_(
                "Small, concrete actions: who, what and by when, tied to a goal or the "
                "scale. Proposed until the supervisor agrees."
            ),
            "needs",
        ),
        Section(
            "grey",
            N_("Grey areas"),
            N_(
                "Missing, unverified, contradictory or disputed information. Keeps guesses "
                "from passing as facts; often becomes a next step."
            ),
            "unknown",
        ),
    ),
)

FAMILY = Framework(
    key="family",
    name=N_("Family map (plain language)"),
    mode="family",
    columns=(
        Column("context", N_("Who is here / who is in the family")),
        WORRIED,
        WORKING,
        Column("needs", N_("What needs to happen next?")),
        Column("unknown", N_("Questions / what we don't know yet")),
    ),
    sections=(
        Section(
            "involved",
            N_("Who is here / who is in the family"),
            N_("The people in the child's life, and who is here today."),
            "context",
        ),
        Section(
            "worries",
            N_("What are we worried about?"),
            N_(
                "What has happened, and what could happen if nothing changes. Say who is "
                "worried, in your own words."
            ),
            "worried",
        ),
        Section(
            "working_well",
            N_("What's working well?"),
            N_(
                "What is going well for the child and the family, and who helps keep the "
                "child safe."
            ),
            "working",
        ),
        Section(
            "next",
            N_("What needs to happen next?"),
            N_("What we want to see, and the steps to get there: who does what, by when."),
            "needs",
        ),
        Section(
            "questions",
            N_("Questions / what we don't know yet"),
            N_("Things we are not sure about, or see differently."),
            "unknown",
        ),
    ),
)

FRAMEWORKS: dict[str, Framework] = {f.key: f for f in (CISF, FAMILY, *SOP_TOOLS)}

MEETING_KINDS: dict[str, str] = {
    "group_supervision": N_("Group supervision"),
    "family_team": N_("Family team meeting"),
    "consultation": N_("Consultation"),
}

DEFAULT_FRAMEWORK_FOR_KIND: dict[str, str] = {
    "group_supervision": "cisf",
    "family_team": "family",
    "consultation": "cisf",
}

VIEWS: dict[str, str] = {
    "agency": N_("Agency"),
    "parent": N_("Parent"),
    "child": N_("Child"),
    "network": N_("Network"),
}


def get_framework(key: str) -> Framework | None:
    """Return the built-in framework with this key, or None (an agency's own frameworks
    are looked up with their version through services/frameworks.py)."""
    return FRAMEWORKS.get(key)


def in_words(framework: Framework, translate: Callable[[str], str]) -> Framework:
    """The framework as people read it. A built-in one's texts come from this module by its
    key and are translated; an agency's are shown as its admin wrote them. Stored text never
    reaches the translation call: Jinja marks what that returns as safe markup."""
    source = get_framework(framework.key) if framework.built_in else None
    if source is None:
        return framework

    def said(text: str) -> str:
        return translate(text) if text else ""  # gettext("") is the catalog's header

    return replace(
        source,
        name=said(source.name),
        columns=tuple(replace(c, question=said(c.question)) for c in source.columns),
        sections=tuple(
            replace(
                s,
                title=said(s.title),
                help=said(s.help),
                family=said(s.family),
            )
            for s in source.sections
        ),
        agenda=tuple(
            replace(step, title=said(step.title), purpose=said(step.purpose))
            for step in source.agenda
        ),
    )
