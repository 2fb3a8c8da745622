"""Texts an agency words its own way (the scale's anchors, the plain-language list), how
long families keep reading a closed meeting's action plan, and how many ratings a scale
round needs before it can be revealed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from facilitator.domain.actor import Actor
from facilitator.domain.consent import CONSENT_RULES, DEFAULT_CONSENT_RULE
from facilitator.domain.errors import UserError
from facilitator.domain.jargon import JARGON, JargonError, jargon_lines, parse_jargon_lines
from facilitator.domain.kept_plan import KEPT_DAYS_DEFAULT, KEPT_DAYS_MAX, parse_kept_days
from facilitator.domain.scaling import ANCHORS
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import AgencyText
from facilitator.models.types import utcnow
from facilitator.services import audit

ANCHOR_MAX = 300
ANCHOR_KEYS = tuple(
    f"scale_anchor_{mode}_{value}" for mode, pairs in ANCHORS.items() for value, _ in pairs
)
JARGON_KEY = "jargon"
KEPT_DAYS_KEY = "plan_kept_days"  # stored as text beside the agency's texts
THRESHOLD_KEY = "scale_reveal_threshold"
REVEAL_THRESHOLD_DEFAULT = 3  # no revealed rating traces to one person (issue 18)
REVEAL_THRESHOLD_RANGE = (1, 20)
CONSENT_KEY = "child_consent"  # what consent showing a child's words needs (domain/consent.py)


class AgencyTextError(UserError):
    """A refused change to the agency's texts, with a message for the user."""


def _stored() -> dict[str, str]:
    return {row.key: row.value for row in db.session.scalars(db.select(AgencyText))}


def anchors(translate: Callable[[str], str] = str) -> dict[str, str]:
    """Each anchor's text: the agency's wording, else the built-in one (translated)."""
    stored = _stored()
    built_in = {
        f"scale_anchor_{mode}_{value}": text
        for mode, pairs in ANCHORS.items()
        for value, text in pairs
    }
    return {key: stored.get(key) or translate(built_in[key]) for key in ANCHOR_KEYS}


def jargon(translate: Callable[[str], str] = str) -> dict[str, str]:
    """The plain-language list: the agency's, else the built-in one (translated)."""
    stored = _stored().get(JARGON_KEY)
    if stored is not None:
        return parse_jargon_lines(stored)
    return {term: translate(plain) for term, plain in JARGON.items()}


def reveal_threshold() -> int:
    """How many people must have rated before a scale round may be revealed."""
    stored = _stored().get(THRESHOLD_KEY)
    return int(stored) if stored and stored.isdigit() else REVEAL_THRESHOLD_DEFAULT


def _threshold(form: dict[str, Any]) -> str | None:
    """The threshold as typed (empty: the default), or refused when not a whole number
    in range."""
    typed = str(form.get(THRESHOLD_KEY, "")).strip()
    if not typed:
        return None
    low, high = REVEAL_THRESHOLD_RANGE
    if not typed.isdigit() or not low <= int(typed) <= high:
        raise AgencyTextError(
            N_("The ratings needed before a reveal must be a whole number from %(low)s to "
               "%(high)s."), low=low, high=high,
        )  # fmt: skip
    return str(int(typed))


def child_consent_rule() -> str:
    """Whether the agency requires consent before a child's words are shown (default: yes)."""
    stored = db.session.get(AgencyText, CONSENT_KEY)
    return (
        stored.value
        if stored is not None and stored.value in CONSENT_RULES
        else (DEFAULT_CONSENT_RULE)
    )


def save(actor: Actor, form: dict[str, Any]) -> None:
    """Store the anchors, the list and the reveal threshold as an admin wrote them; empty
    means built-in."""
    values: dict[str, str | None] = {THRESHOLD_KEY: _threshold(form)}
    for key in ANCHOR_KEYS:
        text = " ".join(str(form.get(key, "")).split())
        if len(text) > ANCHOR_MAX:
            raise AgencyTextError(
                N_("An anchor can be at most %(max)s characters."), max=ANCHOR_MAX
            )
        values[key] = text or None
    lines = str(form.get(JARGON_KEY, "")).strip()
    try:
        values[JARGON_KEY] = jargon_lines(parse_jargon_lines(lines)) if lines else None
    except JargonError as problem:
        raise AgencyTextError(problem.message, **problem.params) from None
    if CONSENT_KEY in form:  # absent: a form without the setting leaves it as it is
        rule = str(form.get(CONSENT_KEY))
        if rule not in CONSENT_RULES:
            raise AgencyTextError(N_("Choose whether the child's consent is required."))
        values[CONSENT_KEY] = None if rule == DEFAULT_CONSENT_RULE else rule
    for key, value in values.items():
        row = db.session.get(AgencyText, key)
        if value is None:
            if row is not None:
                db.session.delete(row)
            continue
        row = row or AgencyText(key=key)
        row.value, row.updated_at, row.updated_by_id = value, utcnow(), actor.user_id
        db.session.add(row)
    db.session.commit()


def plan_kept_days() -> int:
    """Days a guest keeps reading a closed meeting's action plan: the agency's, else 30."""
    row = db.session.get(AgencyText, KEPT_DAYS_KEY)
    days = parse_kept_days(row.value) if row is not None else None
    return KEPT_DAYS_DEFAULT if days is None else days


def save_plan_kept_days(actor: Actor, text: str) -> int:
    """Store how many days families keep reading their plan after a meeting closes."""
    days = parse_kept_days(text)
    if days is None:
        raise AgencyTextError(
            N_("Give a whole number of days from 0 to %(max)s."), max=KEPT_DAYS_MAX
        )
    row = db.session.get(AgencyText, KEPT_DAYS_KEY) or AgencyText(key=KEPT_DAYS_KEY)
    row.value, row.updated_at, row.updated_by_id = str(days), utcnow(), actor.user_id
    db.session.add(row)
    audit.record(actor, "agency.plan_kept_days", detail={"days": days})
    db.session.commit()
    return days
