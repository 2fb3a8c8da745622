"""An agency's framework as an admin writes it: every problem found, clean JSON kept."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.domain.framework_definition import (
    DefinitionError,
    as_form,
    as_json,
    from_json,
    parse_definition,
)
from facilitator.domain.frameworks import FRAMEWORKS


def definition(**changes):
    raw = {
        "key": "strengths_map",
        "name": "Strengths map",
        "mode": "family",
        "layout": "columns",
        "sections": [
            {"key": "good", "title": "What's good", "help": "Anything good.", "group": "Good"},
            {"key": "worries", "title": "Worries", "help": "", "family": "What worries us",
             "group": "Worries"},
        ],
        "agenda": [
            {"title": "Good things", "minutes": "10", "purpose": "", "sections": "good"},
            {"title": "Worries", "minutes": 5, "sections": ["worries"], "scaling": True},
        ],
    }  # fmt: skip
    raw.update(changes)
    return raw


def problems_of(raw, taken=frozenset()):
    with pytest.raises(DefinitionError) as refused:
        parse_definition(raw, taken)
    return {problem.field: problem.message for problem in refused.value.problems}


def test_a_good_definition_becomes_a_framework_with_groups_as_columns():
    framework = parse_definition(definition())
    assert framework.section_keys == ("good", "worries")
    assert [c.question for c in framework.columns] == ["Good", "Worries"]
    assert framework.section("worries").family == "What worries us"
    assert [s.title for s in framework.agenda] == ["Good things", "Worries"]
    assert framework.agenda[1].scaling and framework.agenda[0].minutes == 10


def test_section_keys_must_be_unique():
    sections = [{"key": "good", "title": "A"}, {"key": "good", "title": "B"}]
    assert problems_of(definition(sections=sections, agenda=[])) == {
        "sections.1.key": "Two sections have this key."
    }


def test_titles_may_not_be_empty():
    sections = [{"key": "good", "title": "   ", "help": "some help"}]
    assert "sections.0.title" in problems_of(definition(sections=sections, agenda=[]))


def test_a_framework_needs_at_least_one_section():
    blank = [{"key": "", "title": "", "help": "", "family": "", "group": ""}]
    assert "sections" in problems_of(definition(sections=blank, agenda=[]))


@pytest.mark.parametrize(
    ("field", "row_field", "limit"),
    [("sections.0.title", "title", 80), ("sections.0.help", "help", 500),
     ("sections.0.family", "family", 200), ("sections.0.group", "group", 80)],
)  # fmt: skip
def test_lengths_are_limited_at_the_exact_edge(field, row_field, limit):
    row = {"key": "good", "title": "Good", row_field: "x" * limit}
    parse_definition(definition(sections=[row], agenda=[]))  # exactly the limit: fine
    row[row_field] = "x" * (limit + 1)
    assert field in problems_of(definition(sections=[row], agenda=[]))


def test_agenda_steps_must_name_sections_that_exist():
    agenda = [{"title": "Talk", "minutes": "5", "sections": "good nowhere"}]
    found = problems_of(definition(agenda=agenda))
    assert found == {"agenda.0.sections": "No section has the key %(keys)s."}


@pytest.mark.parametrize("minutes", ["0", "121", "ten", "", True, -3])
def test_a_step_lasts_1_to_120_minutes(minutes):
    agenda = [{"title": "Talk", "minutes": minutes}]
    assert "agenda.0.minutes" in problems_of(definition(agenda=agenda))


def test_every_problem_is_reported_at_once():
    raw = definition(
        key="Bad Key", name="", sections=[{"key": "x", "title": ""}],
        agenda=[{"title": "", "minutes": "0"}],
    )  # fmt: skip
    assert set(problems_of(raw)) == {
        "key", "name", "sections.0.key", "sections.0.title", "agenda.0.title", "agenda.0.minutes"
    }  # fmt: skip


def test_a_built_in_or_existing_key_is_taken():
    assert problems_of(definition(key="cisf"), frozenset(FRAMEWORKS)) == {
        "key": "That key is taken; choose another."
    }


def test_blank_rows_are_left_out():
    sections = [*definition()["sections"], {"key": "", "title": "", "group": ""}]
    steps = [*definition()["agenda"], {"title": "", "minutes": "", "scaling": False}]
    framework = parse_definition(definition(sections=sections, agenda=steps))
    assert len(framework.sections) == 2 and len(framework.agenda) == 2


def test_control_and_bidi_characters_are_removed_from_text():
    sections = [{"key": "good", "title": "Go\u202eod\x00 things"}]
    framework = parse_definition(definition(sections=sections, agenda=[]))
    assert framework.section("good").title == "Good things"


def test_houses_layout_puts_every_group_under_a_roof():
    framework = parse_definition(definition(layout="houses"))
    assert {c.shape for c in framework.columns} == {"house"}


def test_a_stored_version_reads_back_as_the_same_framework():
    framework = parse_definition(definition())
    again = from_json(as_json(framework), version=3)
    assert again.version == 3
    assert as_json(again) == as_json(framework)


@pytest.mark.parametrize("framework", list(FRAMEWORKS.values()), ids=list(FRAMEWORKS))
def test_every_built_in_framework_can_start_an_agency_framework(framework):
    raw = as_form(framework)
    copy = parse_definition({**raw, "key": f"{framework.key}_copy"}, frozenset(FRAMEWORKS))
    assert copy.section_keys == framework.section_keys
    assert [s.title for s in copy.sections] == [s.title for s in framework.sections]
    assert len(copy.agenda) == len(framework.agenda)


_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_row = st.dictionaries(
    st.sampled_from(["key", "title", "help", "family", "group", "minutes", "purpose", "sections",
                     "scaling"]), _junk, max_size=9,
)  # fmt: skip


@given(
    st.fixed_dictionaries(
        {
            "key": _junk,
            "name": _junk,
            "mode": _junk,
            "layout": _junk,
            "sections": st.lists(_row, max_size=5),
            "agenda": st.lists(_row, max_size=5),
        }
    )
)
def test_any_definition_is_a_framework_or_a_list_of_problems(raw):
    try:
        framework = parse_definition(raw)
    except DefinitionError as refused:
        assert refused.problems
    else:
        assert framework.sections and from_json(as_json(framework), 1).section_keys == (
            framework.section_keys
        )
