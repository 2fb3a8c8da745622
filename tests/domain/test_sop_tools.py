"""The other SOP tools (DOMAIN.md §4) as frameworks of the same board engine."""

import pytest

from facilitator.domain.agenda import default_agenda
from facilitator.domain.frameworks import FRAMEWORKS, get_framework
from facilitator.domain.sop_tools import (
    DANGER_GOALS,
    SAFETY_CIRCLES,
    SAFETY_HOUSE,
    SAFETY_PLAN,
    SOP_TOOLS,
    THREE_HOUSES,
)
from facilitator.domain.statements import BUILDERS, LINKS, compose


def test_every_tool_is_a_built_in_framework():
    for tool in SOP_TOOLS:
        assert get_framework(tool.key) is tool


@pytest.mark.parametrize("tool", SOP_TOOLS, ids=[t.key for t in SOP_TOOLS])
def test_every_section_has_help_and_family_wording(tool):
    for section in tool.sections:
        assert len(section.help) > 20, section.key
        assert section.family.strip(), section.key


@pytest.mark.parametrize("tool", SOP_TOOLS, ids=[t.key for t in SOP_TOOLS])
def test_default_agenda_names_only_sections_and_groups_of_the_tool(tool):
    known = set(tool.section_keys) | {c.key for c in tool.columns}
    assert tool.agenda, "each tool brings its own agenda"
    for step in tool.agenda:
        assert set(step.sections) <= known, step.title


def test_section_keys_are_unique_across_all_built_in_frameworks_where_rules_differ():
    """Builders and links are looked up by section key: a tool's key may only be shared
    with another framework when it means the same thing (danger, goals, next_steps)."""
    shared = {"danger", "goals", "next_steps"}
    for tool in SOP_TOOLS:
        for other in FRAMEWORKS.values():
            if other is not tool:
                assert set(tool.section_keys) & set(other.section_keys) <= shared


def test_three_houses_are_the_childs_words_read_back():
    assert [s.title for s in THREE_HOUSES.sections] == [
        "House of Worries", "House of Good Things", "House of Dreams"
    ]  # fmt: skip
    assert THREE_HOUSES.child_words and THREE_HOUSES.layout == "houses"
    read_back = next(step for step in THREE_HOUSES.agenda if step.title == "Read back")
    assert set(read_back.sections) == set(THREE_HOUSES.section_keys)


def test_a_meeting_on_a_tool_starts_with_the_tools_agenda():
    agenda = default_agenda("family_team", str, THREE_HOUSES.agenda)
    assert [step["title"] for step in agenda][-2:] == ["Read back", "What happens next"]


def test_safety_house_has_its_five_parts_and_the_path_is_the_childs_scale():
    assert SAFETY_HOUSE.section_keys == ("inside", "visitors", "house_rules", "not_safe", "path")
    assert "scale" in SAFETY_HOUSE.section("path").title
    assert {s.key for s in SAFETY_HOUSE.sections_in("house")} == {
        "inside",
        "visitors",
        "house_rules",
    }


def test_safety_circles_are_three_rings_then_who_could_help():
    rings = SAFETY_CIRCLES.sections_in("circles")
    assert [s.key for s in rings] == ["knows_most", "knows_little", "knows_nothing"]
    assert SAFETY_CIRCLES.columns[0].shape == "rings"
    assert SAFETY_CIRCLES.section("could_help").column == "helpers"


def test_the_worksheet_pairs_danger_statements_with_safety_goals_and_scales_them():
    assert {"danger", "goals"} <= set(DANGER_GOALS.section_keys)
    assert LINKS["goals"] == {"danger"}  # the engine's pairing applies as on the CISF map
    assert any(step.scaling for step in DANGER_GOALS.agenda)
    assert DANGER_GOALS.layout == "worksheet"


def test_each_safety_plan_rule_names_who_keeps_it_and_their_phone():
    assert SAFETY_PLAN.section_keys == ("plan_rules", "warning_signs", "if_fails")
    assert [key for key, _ in BUILDERS["plan_rules"]] == ["rule", "keeper", "phone"]
    parts = {"rule": "No drinking at home", "keeper": "Gran", "phone": "555 0100"}
    assert compose("plan_rules", parts) == "No drinking at home (kept by Gran, phone 555 0100)"
    assert SAFETY_PLAN.layout == "list"
