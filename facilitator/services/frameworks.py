"""Which framework a meeting is held on, and the agency's own frameworks: publish a new
version, list them, look one up.

Built-in frameworks live in the domain (version 0). An agency framework is published in
versions that never change; a meeting records the version it was started on and is shown
and exported with that version for good, whatever is published later.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.domain import framework_definition as definition
from facilitator.domain.actor import Actor
from facilitator.domain.errors import UserError
from facilitator.domain.framework_shape import Framework
from facilitator.domain.frameworks import FRAMEWORKS, get_framework
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import AgencyFramework, FrameworkVersion, Meeting
from facilitator.services import audit


class FrameworkError(UserError):
    """A refused publication, with a message for the admin."""


def resolve(key: str, version: int | None) -> Framework | None:
    """The framework with this key at this version (None or 0: a built-in one)."""
    if not version:
        return get_framework(key)
    # A published version never changes, so each app reads and parses it once (every
    # operation of a meeting held on it asks); each app, as each test's, has its own.
    known: dict[tuple[str, int], Framework] = current_app.extensions.setdefault(
        "facilitator_framework_versions", {}
    )
    found = known.get((key, version))
    if found is None:
        stored = db.session.scalar(
            select(FrameworkVersion.definition).where(
                FrameworkVersion.framework_key == key, FrameworkVersion.version == version
            )
        )
        if stored is None:
            return None
        found = known[(key, version)] = definition.from_json(stored, version)
    return found


def of_meeting(meeting: Meeting) -> Framework:
    """The framework (at its version) this meeting is held on."""
    framework = resolve(meeting.framework_key, meeting.framework_version)
    if framework is None:
        raise LookupError(f"meeting {meeting.id} names a framework that does not exist")
    return framework


def latest(key: str) -> Framework | None:
    """A built-in framework, or the newest version of an agency's: what a new meeting gets."""
    if key in FRAMEWORKS:
        return FRAMEWORKS[key]
    found = db.session.get(AgencyFramework, key) if key else None
    return resolve(key, found.latest_version) if found is not None else None


def choices() -> list[Framework]:
    """Every framework a new meeting may use: the built-in ones, then the agency's."""
    return [*FRAMEWORKS.values(), *(f for _, f in agency_frameworks())]


def agency_frameworks() -> list[tuple[AgencyFramework, Framework]]:
    """The agency's frameworks, each with its newest version, by key."""
    rows = db.session.execute(
        select(AgencyFramework, FrameworkVersion.definition)
        .join(
            FrameworkVersion,
            (FrameworkVersion.framework_key == AgencyFramework.key)
            & (FrameworkVersion.version == AgencyFramework.latest_version),
        )
        .order_by(AgencyFramework.key)
    ).all()
    return [(row, definition.from_json(stored, row.latest_version)) for row, stored in rows]


def versions(key: str) -> list[FrameworkVersion]:
    """Every published version of an agency framework, newest first."""
    return list(
        db.session.scalars(
            select(FrameworkVersion)
            .where(FrameworkVersion.framework_key == key)
            .order_by(FrameworkVersion.version.desc())
        )
    )


def publish(actor: Actor, raw: dict[str, Any], *, key: str | None = None) -> Framework:
    """Publish a new framework (key None) or a new version of the agency's framework `key`.
    Raises DefinitionError (every problem) or FrameworkError; commits once."""
    existing = db.session.get(AgencyFramework, key) if key else None
    if key is not None and existing is None:
        raise FrameworkError(N_("There is no agency framework with that key."))
    if existing is not None:
        framework = definition.parse_definition({**raw, "key": existing.key})
    else:
        framework = definition.parse_definition(raw, frozenset(FRAMEWORKS) | _agency_keys())
        existing = AgencyFramework(key=framework.key, latest_version=0, created_by_id=actor.user_id)
        db.session.add(existing)
    stored = definition.as_json(framework)
    if existing.latest_version and _stored(existing) == stored:
        raise FrameworkError(
            N_("Nothing changed since version %(version)s."), version=existing.latest_version
        )
    existing.latest_version += 1
    db.session.add(
        FrameworkVersion(
            framework_key=existing.key, version=existing.latest_version, definition=stored,
            published_by_id=actor.user_id,
        )
    )  # fmt: skip
    audit.record(
        actor, "framework.published",
        detail={"framework": existing.key, "version": existing.latest_version},
    )  # fmt: skip
    try:
        db.session.commit()
    except IntegrityError:  # another admin published at the same moment
        db.session.rollback()
        raise FrameworkError(N_("Someone else just published this framework; try again.")) from None
    return definition.from_json(stored, existing.latest_version)


def _agency_keys() -> frozenset[str]:
    return frozenset(db.session.scalars(select(AgencyFramework.key)))


def _stored(found: AgencyFramework) -> dict[str, Any] | None:
    return db.session.scalar(
        select(FrameworkVersion.definition).where(
            FrameworkVersion.framework_key == found.key,
            FrameworkVersion.version == found.latest_version,
        )
    )
