"""The child's consent (DOMAIN.md §5): a child's words are shown to others only after the
consent the agency requires is recorded.

A child's words are the items in the child's view on a family meeting's board (Three
Houses and the other child tools write in the child's view by default). Until consent is
recorded they are seen in full only by who wrote them (and who typed them for the child)
and by the facilitator; everyone else sees where they are, not what they say. Staff
record the consent: who agreed (a name, as the meeting calls them) and when. The agency
decides whether consent is required (services/agency.py, default: required).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.domain.fields import fail, text
from facilitator.domain.frameworks import Framework
from facilitator.domain.limits import DISPLAY_NAME_MAX
from facilitator.domain.text import N_

CHILD_VIEW = "child"
# What the agency requires before a child's words are shown (the agency setting's values).
CONSENT_RULES: dict[str, str] = {
    "required": N_("Required: record who agreed before a child's words are shown"),
    "not_required": N_("Not required: a child's words are shown as they are written"),
}
DEFAULT_CONSENT_RULE = "required"


def consent_pending(family_mode: bool, rule: str, recorded: dict[str, Any] | None) -> bool:
    """Whether a meeting's child's words wait for consent: a family meeting, an agency
    that requires it, and none recorded yet."""
    return family_mode and rule == "required" and not recorded


def is_childs_words(item: dict[str, Any]) -> bool:
    return item.get("view") == CHILD_VIEW


@dataclass(frozen=True)
class RecordConsent:
    by: str  # who agreed, as the meeting calls them ("Maria, mother")


def parse_record_consent(payload: dict[str, Any], framework: Framework) -> RecordConsent:
    by = " ".join(text(payload, "by").split())
    if not by:
        raise fail(N_("Write who agreed to show the child's words."))
    if len(by) > DISPLAY_NAME_MAX:
        raise fail(N_("Use at most %(count)s characters for a name."), count=DISPLAY_NAME_MAX)
    return RecordConsent(by)
