"""Order keys: strings that keep a section's items in board order."""

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from facilitator.domain.ordering import DIGITS, FIRST_KEY, key_between, split_key


def _integer_length(head: str) -> int:
    return ord(head) - ord("a") + 1 if head.islower() else ord("Z") - ord(head) + 1


@st.composite
def order_keys(draw: st.DrawFn) -> str:
    """Any well-formed key: a head letter, its integer digits, a fraction not ending in 0."""
    head = draw(st.sampled_from(string.ascii_letters))
    size = _integer_length(head)
    integer = head + draw(st.text(DIGITS, min_size=size, max_size=size))
    fraction = draw(st.text(DIGITS, max_size=8)).rstrip("0")
    return integer + fraction


def test_first_key_of_an_empty_section():
    assert key_between(None, None) == FIRST_KEY


def test_key_after_sorts_after():
    assert key_between("a0", None) > "a0"


def test_key_before_sorts_before():
    assert key_between(None, "a0") < "a0"


def test_key_between_neighbours_sorts_between():
    assert "a0" < key_between("a0", "a1") < "a1"


def test_key_between_refuses_reversed_bounds():
    with pytest.raises(ValueError):
        key_between("a1", "a0")


def test_key_between_refuses_equal_bounds():
    with pytest.raises(ValueError):
        key_between("a1", "a1")


@pytest.mark.parametrize("malformed", ["", "a", "b1", "a10", "!0", "a0é"])
def test_malformed_keys_are_refused(malformed):
    with pytest.raises(ValueError):
        split_key(malformed)


@given(order_keys(), order_keys())
def test_key_between_any_two_keys_is_strictly_between_and_well_formed(a, b):
    assume(a != b)
    low, high = sorted([a, b])
    key = key_between(low, high)
    split_key(key)
    assert low < key < high


@given(order_keys())
def test_key_after_any_key_is_greater_and_well_formed(key):
    after = key_between(key, None)
    split_key(after)
    assert after > key


@given(order_keys())
def test_key_before_any_key_is_smaller_and_well_formed(key):
    try:
        before = key_between(None, key)
    except ValueError:
        # only the very smallest integer part has nothing before it
        assert key.startswith("A" + "0" * 26)
        return
    split_key(before)
    assert before < key


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=150))
def test_random_insertions_keep_the_section_sorted_and_distinct(places):
    keys: list[str] = []
    for place in places:
        index = round(place * len(keys))
        low = keys[index - 1] if index > 0 else None
        high = keys[index] if index < len(keys) else None
        keys.insert(index, key_between(low, high))
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_appending_thousands_of_items_keeps_keys_short_and_sorted():
    keys = [key_between(None, None)]
    for _ in range(5000):
        keys.append(key_between(keys[-1], None))
    assert keys == sorted(keys)
    assert max(len(key) for key in keys) <= 4


def test_prepending_thousands_of_items_keeps_keys_short_and_sorted():
    keys = [key_between(None, None)]
    for _ in range(5000):
        keys.insert(0, key_between(None, keys[0]))
    assert keys == sorted(keys)
    assert max(len(key) for key in keys) <= 4
