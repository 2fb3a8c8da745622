"""What the room's screen presents: the `present` command's rules, without a database."""

import pytest

from facilitator.domain import presentation
from facilitator.domain.errors import OperationError
from facilitator.domain.frameworks import get_framework

FRAMEWORK = get_framework("cisf")


def parse(**payload):
    return presentation.parse_present(payload, FRAMEWORK)


def test_a_meeting_without_a_choice_follows_the_steps_on_the_dark_theme():
    assert presentation.presentation(None) == {
        "show": "step", "target": None, "page": 0, "auto": False, "theme": "dark",
    }  # fmt: skip


def test_presenting_a_section_names_a_section_of_the_map():
    assert parse(show="section", target="strengths") == presentation.Present("section", "strengths")
    with pytest.raises(OperationError):
        parse(show="section", target="not_a_section")
    with pytest.raises(OperationError):
        parse(show="section")


def test_presenting_a_column_names_a_column_of_the_map():
    column = FRAMEWORK.columns[0].key
    assert parse(show="column", target=column).target == column
    with pytest.raises(OperationError):
        parse(show="column", target="strengths")  # a section, not a column


def test_overview_and_join_take_no_target():
    assert parse(show="overview") == presentation.Present("overview")
    with pytest.raises(OperationError):
        parse(show="join", target="harm")


@pytest.mark.parametrize(
    "payload",
    [{}, {"show": "everything"}, {"page": 1.5}, {"page": True}, {"page": 1000},
     {"auto": "yes"}, {"theme": "sepia"}, {"target": "harm"}],
)  # fmt: skip
def test_a_wrong_or_empty_present_is_refused(payload):
    with pytest.raises(OperationError):
        parse(**payload)


def test_a_new_view_starts_on_its_first_page_and_keeps_theme_and_auto():
    before = presentation.applied(None, presentation.Present(page=3, auto=True, theme="light"))
    after = presentation.applied(before, presentation.Present("section", "harm"))
    assert after == {"show": "section", "target": "harm", "page": 0, "auto": True, "theme": "light"}


def test_turning_pages_keeps_the_view():
    shown = presentation.applied(None, presentation.Present("overview"))
    assert presentation.applied(shown, presentation.Present(page=-2))["show"] == "overview"
    assert presentation.applied(shown, presentation.Present(page=-2))["page"] == -2
