"""Keep identifying details off the board: checks for case labels and names."""

from __future__ import annotations

import re
from itertools import pairwise

from facilitator.domain.errors import UserError
from facilitator.domain.limits import CASE_LABEL_MAX, PERSON_NAME_MAX
from facilitator.domain.text import N_

_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_LONG_NUMBER = re.compile(r"\d{5,}")
_FULL_NAME = re.compile(r"\b[A-Z][a-z]{2,}\s+[A-Z][a-z]{2,}\b")


class LabelError(UserError):
    """A case label that must not be saved."""


def check_case_label(label: str) -> tuple[str, list[str]]:
    """Return the cleaned label and warnings; raise LabelError for what must not be stored.

    Dates and long numbers look like dates of birth and case numbers, so they are
    refused. Two capitalised words look like a full name: that is a warning the
    user must confirm, since an alias can look the same.
    """
    cleaned = " ".join(label.split())
    if not cleaned:
        raise LabelError(N_("Give the case a label: initials or an alias."))
    if len(cleaned) > CASE_LABEL_MAX:
        raise LabelError(N_("Keep the label short: initials or an alias."))
    if _DATE.search(cleaned):
        raise LabelError(N_("The label looks like it contains a date. Leave out dates of birth."))
    if _LONG_NUMBER.search(cleaned):
        raise LabelError(N_("The label looks like it contains a case or ID number. Leave it out."))
    warnings = []
    if _FULL_NAME.search(cleaned):
        warnings.append(N_("This looks like a full name. Use initials or an alias instead."))
    return cleaned, warnings


class PersonNameError(UserError):
    """A name for the list of people around the child that must not be saved."""


class FullNameError(PersonNameError):
    """A full name where the meeting uses initials only."""


# Words that name a relation or a role, not a person: "Aunt Rosa" is not a full name.
_RELATION_WORDS = frozenset({
    "aunt", "auntie", "uncle", "grandma", "grandpa", "grandmother", "grandfather", "granny",
    "nana", "mother", "father", "mum", "mom", "dad", "sister", "brother", "cousin", "baby",
    "family", "friend", "neighbour", "neighbor", "teacher", "worker", "nurse", "doctor",
    "foster", "step", "partner", "godmother", "godfather", "coach", "pastor",
})  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def _is_name_word(word: str) -> bool:
    return len(word) >= 3 and word[0].isupper() and word[1:].islower()


def looks_like_full_name(name: str) -> bool:
    """Two name-like words in a row (any alphabet: "José Núñez"), neither a relation."""
    words = _WORD.findall(name)
    return any(
        _is_name_word(first)
        and _is_name_word(second)
        and not {first.lower(), second.lower()} & _RELATION_WORDS
        for first, second in pairwise(words)
    )


def check_person_name(name: str, initials_only: bool) -> str:
    """Return the cleaned name of someone around the child, or raise PersonNameError.

    Dates and long numbers are never stored. Where the meeting uses initials only (group
    supervision, DOMAIN.md §2), a full name is refused; a family meeting may use names.
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise PersonNameError(N_("Write initials or a name for this person."))
    if len(cleaned) > PERSON_NAME_MAX:
        raise PersonNameError(N_("Keep it short: initials, a first name or a role."))
    if _DATE.search(cleaned):
        raise PersonNameError(N_("Leave out dates of birth: give an age instead."))
    if _LONG_NUMBER.search(cleaned):
        raise PersonNameError(N_("Leave out case and ID numbers."))
    if initials_only and looks_like_full_name(cleaned):
        raise FullNameError(
            N_("This meeting uses initials only: write M.L. or Grandma, not a full name.")
        )
    return cleaned


def person_name_for(name: str, initials_only: bool) -> str:
    """A stored name as a meeting may show it: where it uses initials only, a full name
    (written in a family meeting) becomes its initials."""
    if not initials_only or not looks_like_full_name(name):
        return name
    return "".join(f"{word[0].upper()}." for word in _WORD.findall(name))
