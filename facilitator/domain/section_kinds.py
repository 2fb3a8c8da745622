"""What a section means, whatever map it is on: one shared vocabulary of section kinds.

The professional map splits each question into analysis categories (harm, danger,
complicating factors ...); the family map keeps only the questions in plain words; the
other SOP tools have their own houses and rings (DOMAIN.md §1, §4). A section's *kind*
says which of the map's questions it answers, so carrying next steps forward, comparing
two meetings and following the scale over time match sections by meaning, not by key.

Two levels: the kind (the finest shared meaning, e.g. "danger") and its question (the
group of kinds a plainer map keeps in one section, e.g. "worries"). An agency's own
framework gets the kinds of the suggested keys it uses; other keys have none and match
only themselves.
"""

from __future__ import annotations

from facilitator.domain.framework_shape import Framework, Section
from facilitator.domain.text import N_

# kind -> the question it answers
KINDS: dict[str, str] = {
    "harm": "worries",
    "danger": "worries",
    "complicating": "worries",
    "worries": "worries",
    "strengths": "working",
    "safety": "working",
    "working": "working",
    "goals": "needs",
    "next_steps": "needs",
    "grey": "grey",
    "context": "context",
}

# the questions in the order a map reads, with the words a comparison shows them by
QUESTIONS: dict[str, str] = {
    "context": N_("Context"),
    "worries": N_("What are we worried about?"),
    "working": N_("What's working well?"),
    "needs": N_("What needs to happen?"),
    "grey": N_("What don't we know?"),
}

# section key (built-in frameworks and DOMAIN.md's suggested keys) -> its kind
SECTION_KINDS: dict[str, str] = {
    # the CISF map
    "reason": "context",
    "involved": "context",
    "harm": "harm",
    "danger": "danger",
    "complicating": "complicating",
    "risk": "danger",
    "strengths": "strengths",
    "safety": "safety",
    "goals": "goals",
    "next_steps": "next_steps",
    "grey": "grey",
    # the family map
    "worries": "worries",
    "working_well": "working",
    "next": "next_steps",
    "questions": "grey",
    # Three Houses (the child's words)
    "house_worries": "worries",
    "house_good": "working",
    "house_dreams": "goals",
}


def kind_of(section: str) -> str | None:
    """The kind of a section key, or None when it has no shared meaning."""
    return SECTION_KINDS.get(section)


def question_of(section: str) -> str | None:
    """The question a section answers ("worries", "working" ...), or None."""
    kind = kind_of(section)
    return KINDS[kind] if kind else None


def keys_of_kind(kind: str) -> frozenset[str]:
    """Every known section key of this kind."""
    return frozenset(key for key, found in SECTION_KINDS.items() if found == kind)


def meaning(section: str) -> str:
    """The key two maps' sections are compared by: the question, else the key itself."""
    return question_of(section) or section


def matching_section(framework: Framework, section: str) -> Section | None:
    """Where an item from `section` (on any map) goes on this framework: the same key, else
    the first section of the same kind, else of the same question; None when no section
    here means the same."""
    same = framework.section(section)
    if same is not None:
        return same
    kind = kind_of(section)
    if kind is None:
        return None
    by_kind = [s for s in framework.sections if kind_of(s.key) == kind]
    by_question = [s for s in framework.sections if question_of(s.key) == KINDS[kind]]
    return next(iter(by_kind or by_question), None)


def next_step_section(framework: Framework) -> Section | None:
    """The framework's section for next steps, if it has one."""
    return next((s for s in framework.sections if kind_of(s.key) == "next_steps"), None)
