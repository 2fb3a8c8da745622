"""Test builders: plain functions that make the rows a test needs.

The model builders need an app context and return ORM objects. The HTTP and
socket helpers take a Flask test client and go through the real pages.
"""

from __future__ import annotations

import itertools
import secrets
import time
import uuid
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from sqlalchemy import func, select
from sqlalchemy import text as sql
from werkzeug.test import TestResponse

from facilitator.extensions import db, login_manager, socketio
from facilitator.identity import SESSION_KEY, Actor, guest_actor, staff_actor
from facilitator.models import (
    Case,
    GuestInvite,
    Item,
    Meeting,
    Participant,
    Team,
    TeamMember,
    User,
)
from facilitator.services import cases, meetings

PASSWORD = "a long passphrase for tests"  # NIST: at least 15 characters
# Argon2id at a test cost (one pass over 8 KiB): the production cost was 85 % of the CPU
# of the sign-in tests. Every test app, live server and browser server uses it;
# tests/services/test_accounts.py proves that the default settings hash at production cost.
TEST_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8, "ARGON2_PARALLELISM": 1}
TEST_ARGON2_ENVIRONMENT = {f"FACILITATOR_{name}": str(v) for name, v in TEST_ARGON2.items()}
_counter = itertools.count(1)
_password_hash: str | None = None


def _hash() -> str:
    """Hash the shared test password once, at the test cost."""
    global _password_hash
    if _password_hash is None:
        _password_hash = PasswordHasher(
            time_cost=TEST_ARGON2["ARGON2_TIME_COST"],
            memory_cost=TEST_ARGON2["ARGON2_MEMORY_KIB"],
            parallelism=TEST_ARGON2["ARGON2_PARALLELISM"],
        ).hash(PASSWORD)
    return _password_hash


# --- rows (inside an app context) ----------------------------------------------------


def make_team(name: str | None = None) -> Team:
    team = Team(name=name or f"Team {next(_counter)}")
    db.session.add(team)
    db.session.commit()
    return team


def make_user(
    role: str = "worker",
    team: Team | None = None,
    *,
    email: str | None = None,
    name: str | None = None,
    active: bool = True,
) -> User:
    """A staff account with the shared test password, optionally in a team."""
    number = next(_counter)
    user = User(
        email=email or f"{role}{number}@example.org",
        display_name=name or f"{role.title()} {number}",
        password_hash=_hash(),
        role=role,
        active=active,
    )
    db.session.add(user)
    if team is not None:
        db.session.add(TeamMember(team=team, user=user))
    db.session.commit()
    return user


def make_case(team: Team, creator: User | None = None, label: str = "J.M. (6)") -> Case:
    actor = staff_actor(creator) if creator is not None else Actor("staff", role="admin")
    return cases.create_case(actor, team, label)


def make_meeting(
    case: Case, facilitator: User, kind: str = "group_supervision", framework: str = "cisf"
) -> Meeting:
    return meetings.start_meeting(staff_actor(facilitator), case, kind, framework)


def make_invite(
    meeting: Meeting, creator: User, *, waiting_room: bool = False
) -> tuple[GuestInvite, str]:
    """An invite for the meeting; returns it with its raw link token. Guests who join with it
    go straight to the board unless waiting_room (the app's own default is the waiting room)."""
    return meetings.create_invite(staff_actor(creator), meeting, waiting_room=waiting_room)


def make_guest(
    meeting: Meeting, creator: User, name: str = "Mum", *, waiting_room: bool = False
) -> Participant:
    """A guest of the meeting, on the board (or in its waiting room)."""
    invite, _token = make_invite(meeting, creator, waiting_room=waiting_room)
    return meetings.join_as_guest(invite, name)


def staff_in(meeting: Meeting, user: User, *, read_only: bool = False) -> Actor:
    """The actor of a staff user's connection to a meeting (as the socket layer builds it)."""
    participant = meetings.staff_participant(meeting, user)
    db.session.commit()
    return staff_actor(
        user,
        participant_id=participant.id,
        meeting_id=meeting.id,
        read_only=read_only,
        meeting_role=participant.role,
    )


def guest_in(participant: Participant, *, read_only: bool = False) -> Actor:
    return guest_actor(participant, read_only=read_only)


# --- operations ------------------------------------------------------------------------


def new_op_id() -> str:
    return uuid.uuid4().hex


def op(meeting_id: int, kind: str, op_id: str | None = None, **payload: Any) -> dict[str, Any]:
    """A client's `op` message."""
    return {
        "op_id": op_id or new_op_id(),
        "meeting_id": meeting_id,
        "type": kind,
        "payload": payload,
    }


def add_op(
    meeting_id: int, text: str = "Mother says it was a fall.", section: str = "harm", **extra: Any
) -> dict[str, Any]:
    return op(meeting_id, "add_item", section=section, text=text, **{"view": "agency", **extra})


# --- queries -------------------------------------------------------------------------


def rev_of(meeting_id: int) -> int:
    """The meeting's revision as committed."""
    return db.session.scalar(select(Meeting.rev).where(Meeting.id == meeting_id))


def count(model: type, **where: Any) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def texts_in(meeting_id: int, section: str) -> list[str]:
    """The texts of a section's live items, in board order."""
    return list(
        db.session.scalars(
            select(Item.text)
            .where(Item.meeting_id == meeting_id, Item.section == section, ~Item.deleted)
            .order_by(Item.position)
        )
    )


# --- HTTP and sockets --------------------------------------------------------------------


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Sign in through the real form; the client keeps the session cookie."""
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return response


def sign_in(client: FlaskClient, user_id: int) -> None:
    """Give the client the session the sign-in form would, without its deliberately slow hash.

    Flask-Login's own keys: the user id, freshness, and the "strong" session protection
    identifier of this client's address and user agent.
    """
    from facilitator.services import sessions

    app = client.application
    key = secrets.token_urlsafe(24)
    with app.test_request_context(environ_base=client.environ_base):
        identifier = login_manager._session_identifier_generator()
        sessions.begin(user_id, key)  # the server-side session record sign-in makes
        db.session.remove()
    with client.session_transaction() as session:
        # what sign-in stores: Flask-Login's keys and this browser's connection key
        session.update(
            _user_id=str(user_id),
            _fresh=True,
            _id=identifier,
            authenticated_at=time.time(),  # the password was just entered (export step-up)
            **{SESSION_KEY: key},
        )


def join_by_code(client: FlaskClient, code: str, name: str = "Mum") -> TestResponse:
    """Join as a guest through the real pages: the code, then a name."""
    first = client.post("/join", data={"code": code})
    assert first.status_code == 302, "the code was refused"
    return client.post("/join/name", data={"display_name": name})


def connect(
    app: Flask, client: FlaskClient | None, meeting_id: Any, **auth: Any
) -> SocketIOTestClient:
    """Open a socket to a meeting, sharing the HTTP client's cookies."""
    return socketio.test_client(
        app, flask_test_client=client, auth={"meeting_id": meeting_id, **auth}
    )


def events_named(received: list[dict[str, Any]], name: str) -> list[Any]:
    """The first argument of each received socket message with this name."""
    return [message["args"][0] for message in received if message["name"] == name]


# --- a board worth exporting -----------------------------------------------------------

INJECTIONS = ('=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(1)")


def fill_board(meeting_id: int, facilitator: Actor, rater: Actor) -> dict[str, Any]:
    """Every kind of thing a board holds, through the real pipeline; returns what to look for:
    texts that must be exported, texts that must not, and the revealed ratings."""
    from facilitator.services.board import apply_operation

    def apply(raw: dict[str, Any], actor: Actor = facilitator) -> dict[str, Any]:
        return apply_operation(actor, raw).event

    def add(text: str, section: str, **extra: Any) -> int:
        return apply(add_op(meeting_id, text, section, **extra))["item"]["id"]

    shown = {
        "reason": "Is it safe for the children to go home?",
        "harm": "Father hit the child with a belt; bruising on the legs.",
        "complicating": "Housing is unstable; the family moved twice this year.",
        "strengths": "Mother walks the children to school every day.",
        "safety": "Grandmother takes the children when father drinks.",
        "grey": "Whether father still lives in the house.",
    }
    for section, text in shown.items():
        add(text, section)
    danger = add("CPS is worried the child could be hurt again if father drinks.", "danger")
    goal = add("Mother will keep a sober adult present at every visit.", "goals")
    apply(op(meeting_id, "link_items", item_id=goal, link_id=danger))
    step = add("Book a family meeting with the grandmother.", "next_steps")
    apply(op(meeting_id, "set_next_step", item_id=step, owner="M.L.", due_on="2026-12-03"))
    apply(op(meeting_id, "set_next_step_status", item_id=step, status="agreed"))
    anonymous = add("The school says the children are calmer lately.", "strengths", anonymous=True)
    for text in INJECTIONS:
        add(text, "involved")
    apply(op(meeting_id, "collect_privately", section="grey", on=True))
    add("UNREVEALED private thought", "grey")
    overall = apply(op(meeting_id, "open_scale_round"))["scale_round"]["id"]
    apply(op(meeting_id, "rate", round_id=overall, value=4, reason="Belt marks are recent."))
    apply(op(meeting_id, "rate", round_id=overall, value=7, reason="Grandmother helps."), rater)
    apply(op(meeting_id, "reveal_scale_round", round_id=overall))
    hidden = apply(op(meeting_id, "open_scale_round", danger_item_id=danger))["scale_round"]["id"]
    apply(op(meeting_id, "rate", round_id=hidden, value=2, reason="UNREVEALED rating reason"))
    return {
        "texts": [*shown.values(), *INJECTIONS, "Book a family meeting with the grandmother.",
                  "CPS is worried the child could be hurt again if father drinks.",
                  "Mother will keep a sober adult present at every visit.",
                  "The school says the children are calmer lately."],
        "secret": ["UNREVEALED private thought", "UNREVEALED rating reason"],
        "reasons": ["Belt marks are recent.", "Grandmother helps."],
        "anonymous_item": anonymous,
        "step": {"owner": "M.L.", "due_on": "2026-12-03", "status": "Agreed"},
    }  # fmt: skip


# --- the audit trail ------------------------------------------------------------------


def tamper_audit(statement: str, **params: Any) -> None:
    """Change the audit trail behind the app's back, as someone with the database owner's
    rights could: disable the append-only triggers, run the statement, put them back."""
    from facilitator.models.audit import SQLITE_TRIGGERS

    db.session.rollback()
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_entries_no_delete")
            connection.execute(sql(statement), params)
            for trigger in SQLITE_TRIGGERS:
                connection.exec_driver_sql(trigger)
        else:
            connection.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")
            connection.execute(sql(statement), params)
            connection.exec_driver_sql("ALTER TABLE audit_entries ENABLE TRIGGER USER")


# Tests whose subject is not the reveal threshold (issue 18) reveal rounds with none, one or two
# raters: their databases start with no threshold. The threshold's own tests set it
# back with reveal_threshold_row(None) (the agency default, 3) or another number.
EARLY_REVEALS = 0  # as before issue 18 (the admin page allows 1 to 20)


def reveal_threshold_row(connection: Any, threshold: int | None = EARLY_REVEALS) -> None:
    """Set the agency's reveal threshold on this connection (None: the built-in default)."""
    from facilitator.models import AgencyText
    from facilitator.services.agency import THRESHOLD_KEY

    table = AgencyText.__table__
    connection.execute(table.delete().where(table.c.key == THRESHOLD_KEY))
    if threshold is not None:
        connection.execute(table.insert().values(key=THRESHOLD_KEY, value=str(threshold)))
