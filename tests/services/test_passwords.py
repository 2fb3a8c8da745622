"""S6: NIST SP 800-63B password rules — length (shorter with MFA), no composition rules, and
a list of common passwords taken from a registry package (zxcvbn's 30,000)."""

import pytest

from facilitator.services import accounts


def refusal(password: str, *, mfa: bool = False, context: tuple[str, ...] = ()) -> str | None:
    try:
        accounts.check_password_rules(password, mfa=mfa, context=context)
    except accounts.AccountError as refused:
        return refused.message % refused.params
    return None


def test_fourteen_characters_are_refused_and_fifteen_accepted():
    assert refusal("plain words abc") is None  # 15, lower case and spaces only: no rules
    assert refusal("plain words ab") == "Use at least 15 characters."


def test_eight_characters_are_enough_with_mfa():
    assert refusal("zq7-lm4x", mfa=True) is None
    assert refusal("zq7-lm4", mfa=True) == "Use at least 8 characters."
    assert refusal("zq7-lm4x") == "Use at least 15 characters."


def test_long_passwords_are_accepted_up_to_128():
    assert refusal("a long sentence " * 4) is None  # 64
    assert refusal("x" * 128) is None
    assert refusal("x" * 129) == "Use at most 128 characters."


@pytest.mark.parametrize("common", ["1qaz2wsx3edc4rfv", "123456789qwerty", "qazwsxedcrfvtgb"])
def test_common_passwords_of_any_length_are_refused(common):
    assert "list of common passwords" in (refusal(common) or "")


def test_common_passwords_are_refused_whatever_the_case_with_mfa():
    assert "list of common passwords" in (refusal("PassWord", mfa=True) or "")
    assert "list of common passwords" in (refusal("1QAZ2WSX3EDC4RFV") or "")


def test_the_list_has_at_least_ten_thousand_entries():
    assert len(accounts._common_passwords()) >= 10_000


def test_create_user_refuses_a_common_password(ctx):
    with pytest.raises(accounts.AccountError):
        accounts.create_user("a@example.org", "Ann", "1qaz2wsx3edc4rfv")


def test_the_persons_name_email_and_the_apps_name_do_not_count():
    context = ("ann.smith@example.org", "Ann Smith")
    assert "easy to guess" in (refusal("facilitatorfacilitator") or "")
    assert "easy to guess" in (refusal("AnnSmith example.org", mfa=False, context=context) or "")
    assert accounts.check_password_rules("ann smith plays the oboe", context=context) is None
