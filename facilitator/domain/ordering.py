"""Order keys for items within a section: strings that sort in board order.

A key is an integer part and an optional fraction. The integer part's first
character tells its length ('a' = one digit, 'b' = two, ...; 'Z' = one digit
below zero, 'Y' = two, ...), so appending keeps keys short. Inserting between
two neighbours bisects the fraction. Fractions never end in '0', which keeps a
key strictly between any two distinct keys possible.
"""

from __future__ import annotations

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
FIRST_KEY = "a0"


def _integer_length(head: str) -> int:
    if "a" <= head <= "z":
        return ord(head) - ord("a") + 1
    if "A" <= head <= "Z":
        return ord("Z") - ord(head) + 1
    raise ValueError(f"invalid order key head {head!r}")


def split_key(key: str) -> tuple[str, str]:
    """Split a key into its integer part and fraction; raise ValueError if malformed."""
    if not key:
        raise ValueError("empty order key")
    length = _integer_length(key[0])
    integer, fraction = key[: length + 1], key[length + 1 :]
    if len(integer) != length + 1 or fraction.endswith("0"):
        raise ValueError(f"invalid order key {key!r}")
    if any(c not in DIGITS for c in key[1:]):
        raise ValueError(f"invalid order key {key!r}")
    return integer, fraction


def _step(integer: str, delta: int) -> str | None:
    """Add delta (+1 or -1) to an integer part; None past the representable range."""
    head, digits = integer[0], [DIGITS.index(c) for c in integer[1:]]
    i = len(digits) - 1
    while i >= 0:
        digits[i] += delta
        if 0 <= digits[i] < BASE:
            return head + "".join(DIGITS[d] for d in digits)
        digits[i] %= BASE
        i -= 1
    # every digit wrapped: the integer changes length
    if delta > 0:
        if head == "Z":
            return "a0"
        if head == "z":
            return None
        grow = head >= "a"
        return chr(ord(head) + 1) + "0" * (len(digits) + 1 if grow else len(digits) - 1)
    if head == "a":
        return "Zz"
    if head == "A":
        return None
    shrink = head >= "a"
    return chr(ord(head) - 1) + "z" * (len(digits) - 1 if shrink else len(digits) + 1)


def _midpoint(low: str, high: str | None) -> str:
    """Return a fraction strictly between low and high (high None = no upper bound)."""
    if high is not None:
        n = 0
        while n < len(high) and (low[n] if n < len(low) else "0") == high[n]:
            n += 1
        if n > 0:
            return high[:n] + _midpoint(low[n:], high[n:])
    d_low = DIGITS.index(low[0]) if low else 0
    d_high = DIGITS.index(high[0]) if high is not None else BASE
    if d_high - d_low > 1:
        return DIGITS[(d_low + d_high + 1) // 2]
    if high is not None and len(high) > 1:
        return high[:1]
    return DIGITS[d_low] + _midpoint(low[1:], None)


def key_between(low: str | None, high: str | None) -> str:
    """Return a key that sorts strictly after low and before high (None = open end)."""
    if low is not None and high is not None and low >= high:
        raise ValueError(f"{low!r} is not before {high!r}")
    if low is None and high is None:
        return FIRST_KEY
    if low is None:
        assert high is not None
        integer, fraction = split_key(high)
        if fraction:
            return integer + _midpoint("", fraction)
        before = _step(integer, -1)
        if before is None:
            raise ValueError("no key before the smallest key")
        return before
    integer, fraction = split_key(low)
    if high is None:
        after = _step(integer, +1)
        return after if after is not None else integer + _midpoint(fraction, None)
    high_integer, high_fraction = split_key(high)
    if integer == high_integer:
        return integer + _midpoint(fraction, high_fraction)
    after = _step(integer, +1)
    if after is not None and after < high:
        return after
    return integer + _midpoint(fraction, None)
