"""Who is involved: the privacy rule for names, and the person commands' validation."""

import pytest

from facilitator.domain.errors import OperationError
from facilitator.domain.frameworks import CISF, FAMILY
from facilitator.domain.involved import (
    AGE_MAX,
    PEOPLE_PER_ITEM_MAX,
    AddPerson,
    EditPerson,
    SetItemPeople,
    initials_only,
    person_name,
)
from facilitator.domain.limits import PERSON_NAME_MAX
from facilitator.domain.privacy import (
    FullNameError,
    PersonNameError,
    check_person_name,
    looks_like_full_name,
    person_name_for,
)
from facilitator.services.ops.parse import command as parse_command
from facilitator.services.ops.parse import envelope as parse_envelope


def command(kind, framework=CISF, **payload):
    raw = {"op_id": "op-12345678", "meeting_id": 1, "type": kind, "payload": payload}
    return parse_command(parse_envelope(raw), framework)


def test_supervision_boards_use_initials_and_family_boards_names():
    assert initials_only(CISF) and not initials_only(FAMILY)


@pytest.mark.parametrize("name", ["Maria Lopez", "José Núñez", "Ana María Ruiz", "Tom Smith (dad)"])
def test_a_full_name_looks_like_one(name):
    assert looks_like_full_name(name)


@pytest.mark.parametrize("name", ["M.L.", "ML", "Grandma", "Aunt Rosa", "Mum", "J (15)", "Dr K"])
def test_initials_roles_and_a_relation_with_a_first_name_do_not(name):
    assert not looks_like_full_name(name)


def test_a_full_name_is_refused_where_the_meeting_uses_initials_only():
    with pytest.raises(FullNameError) as refused:
        check_person_name("Maria Lopez", initials_only=True)
    assert "initials only" in refused.value.message


def test_a_full_name_is_kept_in_a_family_meeting():
    assert check_person_name("  Maria   Lopez ", initials_only=False) == "Maria Lopez"


@pytest.mark.parametrize("name", ["M.L. 03/04/2015", "Case 1234567", "", "   "])
def test_dates_numbers_and_blanks_are_refused_everywhere(name):
    for rule in (True, False):
        with pytest.raises(PersonNameError):
            check_person_name(name, initials_only=rule)


def test_a_name_at_the_limit_is_kept_and_one_over_is_refused():
    assert check_person_name("x" * PERSON_NAME_MAX, True) == "x" * PERSON_NAME_MAX
    with pytest.raises(PersonNameError):
        check_person_name("x" * (PERSON_NAME_MAX + 1), True)


def test_a_stored_full_name_shows_as_initials_in_an_initials_only_meeting():
    assert person_name_for("Maria Lopez", initials_only=True) == "M.L."
    assert person_name_for("Maria Lopez", initials_only=False) == "Maria Lopez"
    assert person_name_for("Grandma", initials_only=True) == "Grandma"


def test_the_refusal_of_a_full_name_is_an_operation_error_with_its_own_code():
    with pytest.raises(OperationError) as refused:
        person_name("Maria Lopez", True)
    assert refused.value.code == "full_name"
    with pytest.raises(OperationError) as refused:
        person_name("02/03/2019", False)
    assert refused.value.code == "invalid"


def test_add_person_takes_every_field_and_leaves_optional_ones_empty():
    parsed = command(
        "add_person", name="M.L.", relationship="mother", age=34, household="Home 1", role="parent"
    )
    assert parsed == AddPerson("M.L.", "mother", 34, "Home 1", "parent")
    assert command("add_person", name="B.", role="child") == AddPerson("B.", "", None, "", "child")


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "M.L.", "role": "cousin"},
        {"name": "M.L."},
        {"name": 5, "role": "parent"},
        {"name": "M.L.", "role": "parent", "age": -1},
        {"name": "M.L.", "role": "parent", "age": AGE_MAX + 1},
        {"name": "M.L.", "role": "parent", "age": "34"},
        {"name": "M.L.", "role": "parent", "age": True},
        {"name": "M.L.", "role": "parent", "relationship": "x" * 61},
        {"name": "M.L.", "role": "parent", "household": ["Home"]},
    ],
)
def test_add_person_refuses_bad_fields(payload):
    with pytest.raises(OperationError):
        command("add_person", **payload)


def test_edit_person_carries_only_the_fields_sent():
    parsed = command("edit_person", person_id=3, base_version=2, age=None, household="Gran's")
    assert parsed == EditPerson(3, 2, {"age": None, "household": "Gran's"})


def test_edit_person_with_nothing_to_change_is_refused():
    with pytest.raises(OperationError):
        command("edit_person", person_id=3, base_version=2)


def test_set_item_people_keeps_each_person_once_in_order():
    parsed = command("set_item_people", item_id=4, person_ids=[3, 1, 3])
    assert parsed == SetItemPeople(4, (3, 1))
    assert command("set_item_people", item_id=4, person_ids=[]) == SetItemPeople(4, ())


@pytest.mark.parametrize(
    "ids", [None, "1", [0], [-2], [True], [1.5], list(range(1, PEOPLE_PER_ITEM_MAX + 2))]
)
def test_set_item_people_refuses_what_is_not_a_short_list_of_ids(ids):
    with pytest.raises(OperationError):
        command("set_item_people", item_id=4, person_ids=ids)
