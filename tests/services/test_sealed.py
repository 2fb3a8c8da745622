"""Sealing the secrets the server must read back (facilitator/sealed.py)."""

import pytest

from facilitator import sealed

KEY = "a secret key of this deployment, never in the database"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_sealed_value_opens_with_the_same_key_purpose_and_owner():
    stored = sealed.seal(KEY, "totp", "7", SECRET)
    assert SECRET not in stored and sealed.is_sealed(stored)
    assert sealed.unseal(KEY, "totp", "7", stored) == SECRET


def test_sealing_twice_gives_different_values():
    assert sealed.seal(KEY, "totp", "7", SECRET) != sealed.seal(KEY, "totp", "7", SECRET)


@pytest.mark.parametrize(
    ("key", "purpose", "owner"),
    [("another key", "totp", "7"), (KEY, "another purpose", "7"), (KEY, "totp", "8")],
)
def test_it_does_not_open_with_another_key_purpose_or_owner(key, purpose, owner):
    stored = sealed.seal(KEY, "totp", "7", SECRET)
    with pytest.raises(sealed.Unsealable):
        sealed.unseal(key, purpose, owner, stored)


@pytest.mark.parametrize("stored", [SECRET, "v1.", "v1.not base64!", "v1.AAAA", "v2.abc", ""])
def test_anything_else_does_not_open(stored):
    with pytest.raises(sealed.Unsealable):
        sealed.unseal(KEY, "totp", "7", stored)


def test_an_altered_value_does_not_open():
    stored = sealed.seal(KEY, "totp", "7", SECRET)
    flipped = stored[:-2] + ("A" if stored[-2] != "A" else "B") + stored[-1]
    with pytest.raises(sealed.Unsealable):
        sealed.unseal(KEY, "totp", "7", flipped)
