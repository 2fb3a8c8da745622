"""Who does what in a meeting (DOMAIN.md §2): the roles and what each may do."""

from __future__ import annotations

from facilitator.domain.text import N_

ROLES: dict[str, str] = {
    "facilitator": N_("Facilitator"),
    "presenter": N_("Presenter"),
    "member": N_("Member"),
    "scribe": N_("Scribe"),
    "advisor": N_("Advisor"),
    "observer": N_("Observer"),
    "guest": N_("Guest"),
    "display": N_("Display"),
    "in_room": N_("In the room, written for"),
}
# A staff account's role in the agency (services/accounts.ROLES), as people read it.
ACCOUNT_ROLES: dict[str, str] = {
    "admin": N_("Administrator"),
    "supervisor": N_("Supervisor"),
    "worker": N_("Social worker"),
}
STAFF_ROLES = ("facilitator", "presenter", "member", "scribe", "advisor", "observer")
READ_ONLY_ROLES = frozenset({"observer", "display"})
WRITE_POLICIES: dict[str, str] = {
    "everyone": N_("Everyone writes"),
    "scribes": N_("Only scribes and the facilitator write"),
}


def may_write(role: str | None, write_policy: str) -> bool:
    """Whether someone in this role may add or change items under the write policy."""
    if role is None or role in READ_ONLY_ROLES:
        return False
    return write_policy == "everyone" or role in ("facilitator", "scribe")


def may_rate(role: str | None) -> bool:
    """Observers and the display watch; everyone else gives a number."""
    return role is not None and role not in READ_ONLY_ROLES


def may_assign(role: str, to_guest: bool) -> bool:
    """Guests keep the guest role; staff take any staff role but facilitator (handed over)."""
    if to_guest:
        return role == "guest"
    return role in STAFF_ROLES and role != "facilitator"
