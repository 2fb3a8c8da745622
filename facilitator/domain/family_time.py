"""Private family time (DOMAIN.md §3): the family talks on its own, and decides what to
share with the team.

The facilitator starts and ends it. While it runs, what a family member adds from their
own device is the family's: every family member sees it, nobody else does (staff, the
room's screen and guests who are professionals see only that private family time is
running). Any family member shares all of it with the team at once, when the family has
decided together; it then becomes ordinary board items. Ending the time without sharing
keeps the items the family's (they can still share them later): they are in no staff
view, history or export until shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.domain.fields import flag
from facilitator.domain.frameworks import Framework

# A guest's own view that makes them family: parents and caregivers, the child, relatives
# and the family's network. A guest who joined as a professional (view "agency") is a
# partner of the team, not family. A guest who gave no answer counts as a parent
# (domain/in_room.default_view).
FAMILY_VIEWS = frozenset({"parent", "child", "network"})


def is_family(meeting_role: str | None, own_view: str | None) -> bool:
    """Whether this participant is one of the family: a guest (a display, someone in the
    room without a device and staff are not) who did not join as a professional."""
    return meeting_role == "guest" and (own_view is None or own_view in FAMILY_VIEWS)


@dataclass(frozen=True)
class SetFamilyTime:
    on: bool  # off ends it: what the family kept to itself stays its own


@dataclass(frozen=True)
class ShareFamilyItems:
    """Share every item the family added privately (the family decides together)."""


def parse_set_family_time(payload: dict[str, Any], framework: Framework) -> SetFamilyTime:
    return SetFamilyTime(flag(payload, "on"))


def parse_share_family_items(payload: dict[str, Any], framework: Framework) -> ShareFamilyItems:
    return ShareFamilyItems()
