"""Board frameworks: the sections of the map and the help that explains them."""

import pytest

from facilitator.domain.frameworks import (
    CISF,
    DEFAULT_FRAMEWORK_FOR_KIND,
    FAMILY,
    FRAMEWORKS,
    MEETING_KINDS,
    VIEWS,
    get_framework,
)

CISF_SECTIONS = {
    "reason",
    "involved",
    "harm",
    "danger",
    "complicating",
    "strengths",
    "safety",
    "grey",
    "goals",
    "next_steps",
}


def test_cisf_has_exactly_the_ten_sections_of_the_map():
    assert set(CISF.section_keys) == CISF_SECTIONS
    assert len(CISF.section_keys) == len(CISF_SECTIONS)


@pytest.mark.parametrize("framework", list(FRAMEWORKS.values()), ids=list(FRAMEWORKS))
def test_every_section_has_a_title_and_help_text(framework):
    for section in framework.sections:
        assert section.title.strip(), section.key
        assert len(section.help.strip()) > 20, section.key


@pytest.mark.parametrize("framework", list(FRAMEWORKS.values()), ids=list(FRAMEWORKS))
def test_every_section_sits_in_a_column_of_its_framework(framework):
    columns = {column.key for column in framework.columns}
    assert {section.column for section in framework.sections} <= columns


@pytest.mark.parametrize("framework", list(FRAMEWORKS.values()), ids=list(FRAMEWORKS))
def test_section_keys_are_unique(framework):
    assert len(set(framework.section_keys)) == len(framework.section_keys)


def test_cisf_sections_answer_the_right_questions():
    assert {s.key for s in CISF.sections_in("worried")} == {"harm", "danger", "complicating"}
    assert {s.key for s in CISF.sections_in("working")} == {"strengths", "safety"}
    assert {s.key for s in CISF.sections_in("needs")} == {"goals", "next_steps"}
    assert {s.key for s in CISF.sections_in("unknown")} == {"grey"}


def test_harm_looks_back_and_danger_looks_forward():
    assert "looks back" in CISF.section("harm").help.lower()
    assert "looks forward" in CISF.section("danger").help.lower()


def test_family_map_asks_the_three_questions():
    questions = {s.title for s in FAMILY.sections}
    assert {
        "What are we worried about?",
        "What's working well?",
        "What needs to happen next?",
    } <= questions
    assert FAMILY.mode == "family"


def test_professional_map_is_in_professional_mode():
    assert CISF.mode == "professional"


def test_unknown_section_and_framework_are_none():
    assert CISF.section("nowhere") is None
    assert get_framework("nowhere") is None


def test_every_meeting_kind_has_a_default_framework_that_exists():
    assert set(DEFAULT_FRAMEWORK_FOR_KIND) == set(MEETING_KINDS)
    assert all(key in FRAMEWORKS for key in DEFAULT_FRAMEWORK_FOR_KIND.values())


def test_family_team_meetings_default_to_the_family_map():
    assert DEFAULT_FRAMEWORK_FOR_KIND["family_team"] == "family"


def test_items_can_carry_whose_view_they_are():
    assert set(VIEWS) == {"agency", "parent", "child", "network"}
