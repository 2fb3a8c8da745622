"""Parsing a client's operation: every refusal has its own code, and nothing slips through."""

import pytest

from facilitator.domain.errors import OperationError
from facilitator.domain.facilitation import RemoveParticipant
from facilitator.domain.frameworks import CISF, FAMILY
from facilitator.domain.limits import ITEM_TEXT_MAX, OP_ID_MAX
from facilitator.domain.operations import (
    AddItem,
    DeleteItem,
    EditItem,
    MoveItem,
    clean_text,
)
from facilitator.services.ops.parse import command as parse_command
from facilitator.services.ops.parse import envelope as parse_envelope

OP_ID = "0123456789abcdef"


def envelope(kind="add_item", **payload):
    return {"op_id": OP_ID, "meeting_id": 1, "type": kind, "payload": payload}


def command(kind="add_item", framework=CISF, **payload):
    return parse_command(parse_envelope(envelope(kind, **payload)), framework)


def refusal_code(call, *args, **kwargs):
    with pytest.raises(OperationError) as refused:
        call(*args, **kwargs)
    return refused.value.code


# --- the envelope --------------------------------------------------------------------


def test_well_formed_envelope_is_accepted():
    parsed = parse_envelope(envelope(section="harm", text="x"))
    assert (parsed.op_id, parsed.meeting_id, parsed.type) == (OP_ID, 1, "add_item")
    assert parsed.payload == {"section": "harm", "text": "x"}


@pytest.mark.parametrize("raw", [None, [], "op", 42, 1.5, True])
def test_envelope_that_is_not_an_object_is_invalid(raw):
    assert refusal_code(parse_envelope, raw) == "invalid"


@pytest.mark.parametrize(
    "op_id",
    [
        None,
        12345678,
        "",
        "short",
        "1234567",  # one below the minimum of 8
        "x" * (OP_ID_MAX + 1),
        "has spaces in it",
        "semi;colon-op",
        "ünïcödé-op-id",
        "line\nbreak-op",
        "trailing-newline\n",
        "x" * OP_ID_MAX + "\n",
    ],
)
def test_op_id_outside_the_pattern_is_invalid(op_id):
    raw = {**envelope(), "op_id": op_id}
    assert refusal_code(parse_envelope, raw) == "invalid"


@pytest.mark.parametrize("op_id", ["12345678", "x" * OP_ID_MAX, "a-B_9-z_0123"])
def test_op_id_at_the_pattern_edges_is_accepted(op_id):
    assert parse_envelope({**envelope(), "op_id": op_id}).op_id == op_id


@pytest.mark.parametrize("meeting_id", [None, "1", 0, -1, 1.0, 2**53, True, False, [1]])
def test_meeting_id_must_be_a_positive_whole_number(meeting_id):
    raw = {**envelope(), "meeting_id": meeting_id}
    assert refusal_code(parse_envelope, raw) == "invalid"


@pytest.mark.parametrize("kind", ["drop_table", "", None, 3, "ADD_ITEM", "item_added"])
def test_unknown_operation_type_is_refused(kind):
    raw = {**envelope(), "type": kind}
    assert refusal_code(parse_envelope, raw) == "unknown_type"


@pytest.mark.parametrize("payload", [None, [], "text", 1])
def test_payload_must_be_an_object(payload):
    raw = {**envelope(), "payload": payload}
    assert refusal_code(parse_envelope, raw) == "invalid"


# --- the commands --------------------------------------------------------------------


def test_add_item_parses_section_text_and_view():
    parsed = command(section="danger", text="  worried  ", view="parent")
    assert parsed == AddItem("danger", "worried", "parent")


def test_add_item_without_view_leaves_it_to_whose_item_it_is():
    assert command(section="harm", text="x").view == ""  # services/in_room.py decides


def test_add_item_to_a_section_not_on_the_map_is_refused():
    assert refusal_code(command, section="worries", text="x") == "unknown_section"


def test_family_map_sections_are_not_on_the_professional_map_and_back():
    assert refusal_code(command, framework=FAMILY, section="harm", text="x") == "unknown_section"
    assert command(framework=FAMILY, section="worries", text="x").section == "worries"


def test_add_item_with_an_unknown_view_is_refused():
    assert refusal_code(command, section="harm", text="x", view="judge") == "unknown_view"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x01\x7f"])
def test_empty_text_is_refused(text):
    assert refusal_code(command, section="harm", text=text) == "empty_text"


def test_text_of_exactly_the_limit_is_accepted():
    assert len(command(section="harm", text="x" * ITEM_TEXT_MAX).text) == ITEM_TEXT_MAX


def test_text_one_over_the_limit_is_refused_with_the_limit():
    with pytest.raises(OperationError) as refused:
        command(section="harm", text="x" * (ITEM_TEXT_MAX + 1))
    assert refused.value.code == "text_too_long"
    assert refused.value.as_dict()["limit"] == ITEM_TEXT_MAX


def test_limit_counts_text_after_trimming_space():
    assert len(clean_text("  " + "x" * ITEM_TEXT_MAX + "  ")) == ITEM_TEXT_MAX


def test_control_characters_are_stripped_but_line_breaks_kept():
    assert clean_text("a\x00b\x1bc\nd\te") == "abc\nd\te"


@pytest.mark.parametrize("text", [None, 5, ["x"], {"x": 1}, True])
def test_text_that_is_not_a_string_is_invalid(text):
    assert refusal_code(command, section="harm", text=text) == "invalid"


@pytest.mark.parametrize("section", [None, 5, ["harm"]])
def test_section_that_is_not_a_string_is_invalid(section):
    assert refusal_code(command, section=section, text="x") == "invalid"


def test_edit_item_parses_id_text_version_and_optional_view():
    assert command("edit_item", item_id=3, text="new", base_version=2) == EditItem(
        3, "new", 2, None
    )
    assert command("edit_item", item_id=3, text="new", base_version=2, view="child").view == "child"


@pytest.mark.parametrize("item_id", [True, False, 1.0, "3", 0, -4, 2**53, None])
def test_item_id_must_be_a_positive_whole_number_and_not_a_bool(item_id):
    assert refusal_code(command, "edit_item", item_id=item_id, text="x", base_version=1) == (
        "invalid"
    )


@pytest.mark.parametrize("base_version", [True, 0, "1", None, 1.5])
def test_edit_needs_a_whole_base_version(base_version):
    assert (
        refusal_code(command, "edit_item", item_id=1, text="x", base_version=base_version)
        == "invalid"
    )


def test_move_item_parses_target_section_and_neighbour():
    assert command("move_item", item_id=1, section="safety", after_id=7) == MoveItem(1, "safety", 7)


def test_move_item_without_neighbour_goes_first():
    assert command("move_item", item_id=1, section="safety").after_id is None


def test_move_item_refuses_a_bool_neighbour():
    assert refusal_code(command, "move_item", item_id=1, section="safety", after_id=True) == (
        "invalid"
    )


def test_move_item_to_a_section_not_on_the_map_is_refused():
    assert refusal_code(command, "move_item", item_id=1, section="nowhere") == "unknown_section"


def test_delete_item_parses_its_id():
    assert command("delete_item", item_id=9) == DeleteItem(9)


def test_remove_participant_parses_its_id():
    assert command("remove_participant", participant_id=4) == RemoveParticipant(4)


def test_remove_participant_refuses_a_bool_id():
    assert refusal_code(command, "remove_participant", participant_id=True) == "invalid"


def test_error_dict_carries_code_and_message():
    with pytest.raises(OperationError) as refused:
        command(section="harm", text="")
    assert refused.value.as_dict() == {"code": "empty_text", "message": refused.value.message}


def test_lone_surrogates_and_direction_overrides_are_stripped():
    assert clean_text("safe\ud800 \u202eti esrever\u202c") == "safe ti esrever"
