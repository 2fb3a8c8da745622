"""Whose view: what a guest says they are sets their view; staff start with the agency's."""

import pytest

from facilitator.domain.errors import OperationError
from facilitator.domain.frameworks import VIEWS
from facilitator.domain.in_room import (
    RELATIONS,
    default_view,
    may_scribe,
    room_person_name,
    view_for_relation,
)


@pytest.mark.parametrize(
    ("relation", "view"),
    [("parent", "parent"), ("child", "child"), ("relative", "network"),
     ("network", "network"), ("professional", "agency"), ("", None), ("boss", None)],
)  # fmt: skip
def test_a_guests_answer_sets_their_view(relation, view):
    assert view_for_relation(relation) == view


def test_every_answer_leads_to_a_view_on_the_board():
    assert {view for _, view in RELATIONS.values()} <= set(VIEWS)


def test_staff_start_with_the_agencys_view_and_guests_with_their_own():
    assert default_view(None, is_staff=True) == "agency"
    assert default_view("child", is_staff=False) == "child"
    assert default_view("network", is_staff=True) == "network"


def test_only_the_facilitator_and_scribes_write_for_the_room():
    assert [r for r in ("facilitator", "scribe", "member", "guest") if may_scribe(r)] == [
        "facilitator",
        "scribe",
    ]


def test_a_room_persons_name_is_cleaned_and_bounded():
    assert room_person_name("  Grandma \u202e Rose ") == "Grandma Rose"
    with pytest.raises(OperationError):
        room_person_name("   ")
    with pytest.raises(OperationError):
        room_person_name("x" * 41)
