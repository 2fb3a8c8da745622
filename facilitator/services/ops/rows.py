"""What an operation's handler reads: plain rows, and prebuilt statements to read them.

Every board operation passes through here, so each reads and writes with as few
statements as it can (STACK.md: a blocked call stalls every meeting on the hub).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update

from facilitator.extensions import db
from facilitator.models import Case, Meeting
from facilitator.presenters import ITEM_EXTRAS, item_fields_json


@dataclass(frozen=True)
class MeetingRef:
    """What the rules need to know of a meeting (access.py reads id, status, team_id and
    the locks and policy)."""

    id: int
    status: str
    team_id: int
    framework_key: str
    write_policy: str = "everyone"
    locked_sections: tuple[str, ...] = ()
    private_sections: tuple[str, ...] = ()
    case_id: int | None = None  # for the audit entry
    framework_version: int | None = None  # None: a built-in framework
    family_time: bool = False  # private family time is running (domain/family_time.py)


@dataclass(frozen=True)
class ItemRow:
    """One item as stored, with its author's name (access.py reads meeting, author_id)."""

    meeting: MeetingRef
    id: int
    section: str
    position: str
    text: str
    view: str
    version: int
    author_id: int
    author_name: str
    updated_at: Any
    anonymous: bool = False
    hidden: bool = False
    merged_into_id: int | None = None
    link_id: int | None = None
    parts: dict[str, str] | None = None
    family_view: str | None = None
    owner: str | None = None
    due_on: Any = None
    status: str | None = None
    carried_from_id: int | None = None
    person_ids: list[int] | None = None
    scribe_id: int | None = None  # who typed it for its author (domain/in_room.py)
    family_private: bool = False  # added in private family time, not shared yet
    scribe_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        return item_fields_json(
            self.id, self.section, self.position, self.text, self.view, self.version,
            self.author_id, self.author_name, self.updated_at, self.scribe_name,
            **{key: getattr(self, key) for key in ITEM_EXTRAS},
        )  # fmt: skip


def execute(statement: Any, params: dict[str, Any] | None = None) -> Any:
    """Run a prebuilt statement on the session's connection (skips the ORM's per-call work)."""
    return db.session.connection().execute(statement, params)


# Built once: on SQLite, building a statement costs more than running it.
_meetings = Meeting.__table__
_cases = Case.__table__
# The revision claimed and the meeting read in one statement (one round trip fewer per
# operation on PostgreSQL): the same columns, the team by a subquery (RETURNING names only
# the updated table's columns on SQLite).
_REF_COLUMNS = (
    _meetings.c.id,
    _meetings.c.status,
    select(_cases.c.team_id).where(_cases.c.id == _meetings.c.case_id).scalar_subquery(),
    _meetings.c.case_id,
    _meetings.c.framework_key,
    _meetings.c.framework_version,
    _meetings.c.write_policy,
    _meetings.c.locked_sections,
    _meetings.c.private_sections,
    _meetings.c.family_time_started_at,
)
_CLAIM = (
    update(_meetings)
    .where(_meetings.c.id == bindparam("meeting_id"))
    .values(rev=_meetings.c.rev + 1)
    .returning(_meetings.c.rev, *_REF_COLUMNS)
)
_READ = select(*_REF_COLUMNS).where(_meetings.c.id == bindparam("meeting_id"))


def claim_meeting(meeting_id: int) -> tuple[int, MeetingRef] | None:
    """Claim the meeting's next revision and read it as the rules do (None if there is no
    such meeting). Takes the meeting's write lock until the transaction ends: a refusal
    after it rolls back (services/board.py), and the revision with it."""
    row = execute(_CLAIM, {"meeting_id": meeting_id}).first()
    return None if row is None else (int(row[0]), _ref(row[1:]))


def read_meeting(meeting_id: int) -> MeetingRef | None:
    """The meeting as the rules read it, without claiming anything (None if there is none)."""
    row = execute(_READ, {"meeting_id": meeting_id}).first()
    return None if row is None else _ref(row)


def _ref(row: Any) -> MeetingRef:
    meeting_id, status, team_id, case_id, key, version, write_policy, locked, private, family = row
    return MeetingRef(
        meeting_id, status, team_id, key, write_policy,
        tuple(locked or ()), tuple(private or ()), case_id=case_id, framework_version=version,
        family_time=family is not None,
    )  # fmt: skip
