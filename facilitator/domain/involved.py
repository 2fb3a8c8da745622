"""Who is involved: the people around the child, kept with the case (DOMAIN.md §1, §3).

Each person has a name or initials (as the meeting's privacy rule allows), a relationship
to the child, an optional age, the household they live in and their role in the safety
network. Items on the map can name people from the list ("who keeps this rule").
Commands are checked here without a database; who may send them is decided in access.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitator.domain.errors import OperationError
from facilitator.domain.fields import fail, optional_text, positive_int, text
from facilitator.domain.frameworks import Framework
from facilitator.domain.privacy import FullNameError, PersonNameError, check_person_name
from facilitator.domain.text import N_

RELATIONSHIP_MAX = 60
HOUSEHOLD_MAX = 60
AGE_MAX = 120
PEOPLE_PER_ITEM_MAX = 12

# A person's place in the network, from the child outwards (the diagram's rings).
NETWORK_ROLES: dict[str, str] = {
    "child": N_("Child"),
    "parent": N_("Parent or caregiver"),
    "family": N_("Family"),
    "network": N_("Safety network"),
    "professional": N_("Professional"),
}
PERSON_FIELDS = ("name", "relationship", "age", "household", "role")


def initials_only(framework: Framework) -> bool:
    """The meeting's privacy rule for names: professional boards (group supervision,
    consultation) use initials or pseudonyms, no full names; family meetings use names."""
    return framework.mode != "family"


@dataclass(frozen=True)
class AddPerson:
    name: str  # checked against the meeting's privacy rule by the service (it knows it)
    relationship: str
    age: int | None
    household: str
    role: str


@dataclass(frozen=True)
class EditPerson:
    person_id: int
    base_version: int
    changes: dict[str, Any]  # only the fields sent: a name left out is kept as stored


@dataclass(frozen=True)
class RemovePerson:
    person_id: int


@dataclass(frozen=True)
class SetItemPeople:
    item_id: int
    person_ids: tuple[int, ...]  # empty: the item names nobody


def person_name(name: Any, initials_only_rule: bool) -> str:
    """A name checked against the privacy rule, as an operation's error when refused."""
    if not isinstance(name, str):
        raise fail("'name' must be text")
    try:
        return check_person_name(name, initials_only_rule)
    except FullNameError as refused:
        raise OperationError("full_name", refused.message) from None
    except PersonNameError as refused:
        raise OperationError("invalid", refused.message) from None


def _age(payload: dict[str, Any]) -> int | None:
    value = payload.get("age")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= AGE_MAX:
        raise fail(f"'age' must be a whole number from 0 to {AGE_MAX}, or left empty.")
    return value


def _role(payload: dict[str, Any]) -> str:
    value = payload.get("role")
    if not isinstance(value, str) or value not in NETWORK_ROLES:
        raise OperationError(
            "unknown_role", N_("Choose a role in the network: ") + ", ".join(NETWORK_ROLES)
        )
    return value


_FIELD_PARSERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "name": lambda p: text(p, "name"),  # the privacy check needs the meeting: the service
    "relationship": lambda p: optional_text(p, "relationship", RELATIONSHIP_MAX) or "",
    "age": _age,
    "household": lambda p: optional_text(p, "household", HOUSEHOLD_MAX) or "",
    "role": _role,
}


def person_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """Every field of a person, checked (the name's privacy check aside): an OperationError
    for the first one that is wrong."""
    return {key: _FIELD_PARSERS[key](payload) for key in PERSON_FIELDS}


def parse_add_person(payload: dict[str, Any], framework: Framework) -> AddPerson:
    return AddPerson(**person_fields(payload))


def parse_edit_person(payload: dict[str, Any], framework: Framework) -> EditPerson:
    changes = {key: parse(payload) for key, parse in _FIELD_PARSERS.items() if key in payload}
    if not changes:
        raise fail("Send at least one of: " + ", ".join(PERSON_FIELDS))
    return EditPerson(
        positive_int(payload, "person_id") or 0, positive_int(payload, "base_version") or 0, changes
    )


def _person_ids(payload: dict[str, Any]) -> tuple[int, ...]:
    value = payload.get("person_ids")
    if not isinstance(value, list) or len(value) > PEOPLE_PER_ITEM_MAX:
        raise fail(f"'person_ids' must be a list of at most {PEOPLE_PER_ITEM_MAX} people.")
    ids = tuple(positive_int({"person_id": raw}, "person_id") or 0 for raw in value)
    return tuple(dict.fromkeys(ids))  # each once, in the order given


# The parsers of the people op types (services/ops/types.py names each with its handler).


def parse_remove_person(payload: dict[str, Any], framework: Framework) -> RemovePerson:
    return RemovePerson(positive_int(payload, "person_id") or 0)


def parse_set_item_people(payload: dict[str, Any], framework: Framework) -> SetItemPeople:
    return SetItemPeople(positive_int(payload, "item_id") or 0, _person_ids(payload))
