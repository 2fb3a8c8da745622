"""Danger statements, safety goals and next steps (DOMAIN.md §1): their parts, links and
the next step's life from proposed to done.

A guided builder offers each statement's template; the writer may leave it for free text
at any time, so parts are optional and the text is always what was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from facilitator.domain.errors import OperationError
from facilitator.domain.fields import UNSAFE_CHARACTERS, fail, optional_text, positive_int
from facilitator.domain.frameworks import Framework
from facilitator.domain.section_kinds import keys_of_kind
from facilitator.domain.text import N_

PART_MAX = 300
OWNER_MAX = 80
FAMILY_VIEW_MAX = 500

# section key -> the builder's parts, in the template's order, with their labels
BUILDERS: dict[str, tuple[tuple[str, str], ...]] = {
    "harm": (
        ("caregiver", N_("Who (caregiver)")),
        ("act", N_("did or didn't do what")),
        ("impact", N_("and as a result the child was hurt / could have been hurt")),
    ),
    "danger": (
        ("who_worried", N_("Who is worried")),
        ("behaviour", N_("that if (caregiver) does / doesn't")),
        ("context", N_("when (context)")),
        ("impact", N_("the child could be … (impact)")),
    ),
    "plan_rules": (  # the safety plan: each rule with who keeps it and how to reach them
        ("rule", N_("The rule")),
        ("keeper", N_("Who keeps it")),
        ("phone", N_("Their phone")),
    ),
    "goals": (
        ("doing", N_("(Caregiver) will be doing")),
        ("child_experiences", N_("so that the child experiences")),
        ("we_will_see", N_("we will see")),
        ("how_long", N_("for how long")),
    ),
}

# sections whose items are next steps: the professional map's, and the family map's
# "What needs to happen next?" (the shared vocabulary of section_kinds.py)
NEXT_STEP_SECTIONS = keys_of_kind("next_steps")

NEXT_STEP_STATUSES: dict[str, str] = {
    "proposed": N_("Proposed"),
    "agreed": N_("Agreed"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
# the same statuses as a family meeting says them (DOMAIN.md §3: plain language)
FAMILY_STATUS_WORDS: dict[str, str] = {
    "proposed": N_("Suggested"),
    "agreed": N_("Agreed"),
    "done": N_("Done"),
    "dropped": N_("Not needed any more"),
}
OPEN_STATUSES = frozenset({"proposed", "agreed"})
# from -> the statuses it may move to; "agreed" needs the facilitator or a supervisor
NEXT_STEP_MOVES: dict[str, frozenset[str]] = {
    "proposed": frozenset({"agreed", "dropped"}),
    "agreed": frozenset({"done", "dropped", "proposed"}),
    "done": frozenset({"agreed"}),
    "dropped": frozenset({"proposed"}),
}
# what an item may link to, by the item's section
LINKS: dict[str, frozenset[str]] = {
    "goals": frozenset({"danger"}),  # a safety goal answers one danger statement
    "next_steps": frozenset({"goals", "danger"}),
    "next": frozenset({"worries"}),
}


def may_move_next_step(current: str, new: str, may_agree: bool) -> bool:
    """Whether a next step may go from current to new status (agreeing needs authority)."""
    if new not in NEXT_STEP_MOVES.get(current, frozenset()):
        return False
    return may_agree or new != "agreed"


def status_words(mode: str) -> dict[str, str]:
    """The status names a map of this mode ("professional" or "family") shows."""
    return FAMILY_STATUS_WORDS if mode == "family" else NEXT_STEP_STATUSES


def is_overdue(status: str | None, due_on: date | None, today: date) -> bool:
    """An agreed or proposed next step past its date stands out."""
    return due_on is not None and status in ("proposed", "agreed") and due_on < today


# The sentence each builder writes, its labels' joining words included (DOMAIN.md §1);
# a part not filled in yet shows as MISSING. Translated where shown (client_strings.py).
TEMPLATES: dict[str, str] = {
    "danger": N_(
        "%(who_worried)s is worried that if %(behaviour)s when %(context)s, "
        "the child could be %(impact)s."
    ),
    "goals": N_(
        "%(doing)s so that %(child_experiences)s; we will see %(we_will_see)s for %(how_long)s."
    ),
    "plan_rules": N_("%(rule)s (kept by %(keeper)s, phone %(phone)s)"),
    "harm": N_("It was reported that %(caregiver)s %(act)s, and as a result %(impact)s."),
}
MISSING = "…"


def compose(section: str, parts: dict[str, str], template: str | None = None) -> str:
    """The sentence a builder's parts make, with its joining words ("…" for a part not
    filled in yet); `template`: the section's template in the reader's language."""
    keys = [key for key, _ in BUILDERS.get(section, ())]
    if not any(parts.get(key) for key in keys):
        return ""
    filled = {key: parts.get(key) or MISSING for key in keys}
    return (template or TEMPLATES[section]) % filled


def parse_parts(raw: Any, section: str) -> dict[str, str] | None:
    """A builder's parts for this section: known keys, text up to PART_MAX each."""
    if raw is None:
        return None
    if section not in BUILDERS:
        raise fail(N_("This section has no guided builder."))
    if not isinstance(raw, dict):
        raise fail(N_("'parts' must be an object."))
    known = {key for key, _ in BUILDERS[section]}
    parts: dict[str, str] = {}
    for key, value in raw.items():
        if key not in known:
            raise fail(N_("Unknown part '%(key)s'."), key=key)
        cleaned = optional_text({key: value}, key, PART_MAX)
        if cleaned:
            parts[key] = cleaned
    return parts or None


def parse_due_on(raw: Any) -> date | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise fail(N_("'due_on' must be a date like 2026-12-01."))
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise OperationError("invalid", N_("'due_on' must be a date like 2026-12-01.")) from None


@dataclass(frozen=True)
class SetNextStep:
    item_id: int
    owner: str | None
    due_on: date | None


@dataclass(frozen=True)
class SetNextStepStatus:
    item_id: int
    status: str


@dataclass(frozen=True)
class LinkItems:
    item_id: int
    link_id: int | None  # None: unlink


@dataclass(frozen=True)
class SetFamilyView:
    item_id: int
    text: str | None  # None: the family no longer sees it differently


def _status(payload: dict[str, Any]) -> str:
    value = payload.get("status")
    if not isinstance(value, str) or value not in NEXT_STEP_STATUSES:
        raise fail(N_("'status' must be one of: ") + ", ".join(NEXT_STEP_STATUSES))
    return value


def _owner(payload: dict[str, Any]) -> str | None:
    owner = optional_text(payload, "owner", OWNER_MAX)
    return UNSAFE_CHARACTERS.sub("", owner) if owner else None


# The parsers of the statement op types (services/ops/types.py names each with its handler).


def parse_set_next_step(payload: dict[str, Any], framework: Framework) -> SetNextStep:
    return SetNextStep(
        positive_int(payload, "item_id") or 0, _owner(payload), parse_due_on(payload.get("due_on"))
    )


def parse_set_next_step_status(payload: dict[str, Any], framework: Framework) -> SetNextStepStatus:
    return SetNextStepStatus(positive_int(payload, "item_id") or 0, _status(payload))


def parse_link_items(payload: dict[str, Any], framework: Framework) -> LinkItems:
    return LinkItems(
        positive_int(payload, "item_id") or 0, positive_int(payload, "link_id", optional=True)
    )


def parse_set_family_view(payload: dict[str, Any], framework: Framework) -> SetFamilyView:
    return SetFamilyView(
        positive_int(payload, "item_id") or 0, optional_text(payload, "text", FAMILY_VIEW_MAX)
    )
