"""Keep identifying details off the board: checks for case labels and names."""

from __future__ import annotations

import re

from facilitator.domain.errors import UserError
from facilitator.domain.limits import CASE_LABEL_MAX
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
