"""Case labels keep identifying details off the board."""

import pytest

from facilitator.domain.limits import CASE_LABEL_MAX
from facilitator.domain.privacy import LabelError, check_case_label


@pytest.mark.parametrize("label", ["J.M. (6)", "Baby K", "The R family", "Case A-12", "JM 4y"])
def test_initials_and_aliases_are_accepted_without_warning(label):
    assert check_case_label(label) == (label, [])


def test_label_whitespace_is_collapsed():
    assert check_case_label("  J.M.   (6) ")[0] == "J.M. (6)"


@pytest.mark.parametrize("label", ["", "   ", "\t\n"])
def test_empty_label_is_refused(label):
    with pytest.raises(LabelError):
        check_case_label(label)


def test_label_at_the_limit_is_accepted_and_one_over_is_refused():
    assert check_case_label("x" * CASE_LABEL_MAX)[0] == "x" * CASE_LABEL_MAX
    with pytest.raises(LabelError):
        check_case_label("x" * (CASE_LABEL_MAX + 1))


@pytest.mark.parametrize(
    "label", ["J.M. 03/14/2019", "K 2019-03-14", "born 14.3.19", "JM 1/2/2020"]
)
def test_label_with_a_date_is_refused(label):
    with pytest.raises(LabelError, match="date"):
        check_case_label(label)


@pytest.mark.parametrize("label", ["JM 12345", "Case 2024001234", "ID 000123456"])
def test_label_with_a_long_number_is_refused(label):
    with pytest.raises(LabelError, match="number"):
        check_case_label(label)


def test_four_digit_numbers_are_not_case_numbers():
    assert check_case_label("Family 1234")[1] == []


@pytest.mark.parametrize("label", ["Jane Doe", "JM (6) Maria Lopez"])
def test_label_that_looks_like_a_full_name_warns(label):
    cleaned, warnings = check_case_label(label)
    assert cleaned == label
    assert len(warnings) == 1
    assert "full name" in warnings[0]
