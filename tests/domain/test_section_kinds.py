"""One vocabulary of section kinds: carry-over, compare and the trend match sections of
different maps by what they mean."""

from __future__ import annotations

import pytest

from facilitator.domain.compare import diff
from facilitator.domain.frameworks import CISF, FAMILY, FRAMEWORKS
from facilitator.domain.section_kinds import (
    KINDS,
    QUESTIONS,
    SECTION_KINDS,
    matching_section,
    meaning,
    next_step_section,
)
from facilitator.domain.statements import NEXT_STEP_SECTIONS


def test_every_kind_answers_a_question_the_comparison_can_name():
    assert set(SECTION_KINDS.values()) <= set(KINDS)
    assert set(KINDS.values()) <= set(QUESTIONS)


def test_next_step_sections_come_from_the_vocabulary():
    assert set(NEXT_STEP_SECTIONS) == {"next_steps", "next"}


@pytest.mark.parametrize(
    ("section", "family"),
    [("harm", "worries"), ("danger", "worries"), ("complicating", "worries"),
     ("strengths", "working_well"), ("safety", "working_well"), ("goals", "next"),
     ("next_steps", "next"), ("grey", "questions"), ("involved", "involved")],
)  # fmt: skip
def test_the_professional_maps_sections_find_their_family_words(section, family):
    assert matching_section(FAMILY, section).key == family


@pytest.mark.parametrize(
    ("section", "cisf"),
    [("worries", "harm"), ("working_well", "strengths"), ("next", "next_steps"),
     ("questions", "grey"), ("house_dreams", "goals")],
)  # fmt: skip
def test_plainer_maps_sections_find_a_place_on_the_professional_map(section, cisf):
    assert matching_section(CISF, section).key == cisf


def test_a_section_without_a_shared_meaning_matches_only_itself():
    assert matching_section(CISF, "plan_rules") is None
    assert meaning("plan_rules") == "plan_rules"


def test_every_built_in_map_with_next_steps_names_its_section():
    found = {key: next_step_section(f) for key, f in FRAMEWORKS.items()}
    assert found["cisf"].key == "next_steps" and found["family"].key == "next"
    assert found["three_houses"] is None


def test_two_maps_compare_question_by_question():
    before = [
        {"id": 1, "section": "danger", "text": "Dad drinks", "status": None},
        {"id": 2, "section": "next_steps", "text": "Call", "status": "agreed"},
    ]
    after = [{"id": 3, "section": "worries", "text": "Dad drinks", "status": None},
             {"id": 4, "section": "next", "text": "Call", "status": "done"}]  # fmt: skip
    found = diff(before, after, {}, by_meaning=True)
    assert set(found) == {"needs"}
    assert [(old["id"], new["id"]) for old, new in found["needs"].changed] == [(2, 4)]
