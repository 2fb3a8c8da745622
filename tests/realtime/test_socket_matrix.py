"""S1, the socket side: every kind of visitor x every socket event x every op kind x the
case's own meeting and another case's meeting: 0 unexpected allows.

The events are read from the Socket.IO server and the op kinds from
services/ops/types.py OP_TYPES, so a new handler or command missing from the tables below
fails the build until someone decides who may use it. A refusal is an error ack (or a
socket that is closed or was never let in) and the database unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from builders import connect, join_by_code, make_case, make_meeting, make_team, make_user, op
from builders import sign_in as give_session
from flask import Flask
from flask_socketio import SocketIOTestClient
from sqlalchemy import select, update

from facilitator.extensions import db, socketio
from facilitator.identity import Actor, guest_actor, staff_actor
from facilitator.models import (
    GuestInvite,
    InvolvedPerson,
    Item,
    Meeting,
    Participant,
    ScaleRound,
    User,
)
from facilitator.realtime import packets
from facilitator.services import access_epoch, board, meetings, pre_meeting
from facilitator.services.ops.types import OP_TYPES

# --- the expected tables ----------------------------------------------------------------

ACTORS = (
    "anonymous",
    "guest",
    "guest_expired",  # joined and connected, then the invite expired
    "guest_removed",  # joined and connected, then removed by the facilitator
    "guest_waiting",  # joined through the waiting room, not let in yet
    "display",  # a team member's read-only projector connection
    "worker",  # in the case's team
    "outsider",  # a worker of another team, trying the case's meeting
    "outsider_home",  # the same outsider on their own team's meeting, aiming at the case
    "supervisor",  # a supervisor of the case's team, not facilitating
    "facilitator",  # the supervisor facilitating the meeting
    "admin",  # in no team: sees every case
)
REFUSED_AT_CONNECT = {"anonymous", "guest_expired", "guest_removed", "guest_waiting", "outsider"}
# These two were let in while their access held; open_as checks that a new connect is
# refused, and the table below that their open socket's next event is.
LOST_ACCESS = {"guest_expired", "guest_removed"}
CONNECTED = [a for a in ACTORS if a not in REFUSED_AT_CONNECT]

# Events a connected actor may send about its own meeting. Against another case's
# meeting every event is refused for everyone; "disconnect" is nobody's privilege.
EVENTS: dict[str, set[str]] = {
    "connect": set(CONNECTED),
    "disconnect": set(),  # not sent by clients; always allowed, changes nothing
    "sync": set(CONNECTED),
    "editing": {"worker", "outsider_home", "supervisor", "facilitator", "admin"},
    "admit_guest": {"worker", "outsider_home", "supervisor", "facilitator", "admin"},
    "op": set(),  # by op kind, below
    # frames that are not events of their own (realtime/packets.py): they change nothing
    packets.MALFORMED: set(),  # answered `invalid`
    packets.OP_WITHOUT_ACK: set(),  # answered with an `error` event, never applied
}

_STAFF_WRITERS = {"worker", "outsider_home", "supervisor", "facilitator", "admin"}
_EVERYONE_WRITES = _STAFF_WRITERS | {"guest"}
_LEADS = {"facilitator"}
_TAKES_OVER = {"facilitator", "supervisor", "admin"}  # supervisors and admins of the team

# op kind -> who may send it about their own meeting (a guest changes only its own items;
# the test's items are the facilitator's)
OPS: dict[str, set[str]] = {
    "add_item": _EVERYONE_WRITES,
    "edit_item": _STAFF_WRITERS,
    "move_item": _STAFF_WRITERS,
    "delete_item": _STAFF_WRITERS,
    "restore_item": _LEADS,  # only who deleted it: the test's items are deleted by the facilitator
    "add_room_person": _LEADS,  # the facilitator and scribes (none among these actors)
    "set_agenda": _LEADS,
    "go_to_step": _LEADS,
    "add_time": _LEADS,
    "set_role": _LEADS,
    "hand_over": _TAKES_OVER,  # to someone else by the facilitator; to oneself by a supervisor
    "set_write_policy": _LEADS,
    "set_question": _LEADS,
    "lock_section": _LEADS,
    "spotlight": _LEADS,
    "collect_privately": _LEADS,
    "merge_items": _LEADS,
    "unmerge_item": _LEADS,
    "set_signal": _EVERYONE_WRITES,
    "clear_signals": _LEADS,
    "set_show_initials": _LEADS,
    "present": _LEADS,
    # private family time: the facilitator runs it, the family shares (the test's guest
    # gave no answer to who they are: a guest counts as a parent, one of the family)
    "set_family_time": _LEADS,
    "share_family_items": {"guest"},
    "record_consent": _STAFF_WRITERS,  # staff record the consent for a child's words
    "remove_participant": _LEADS,
    "close_meeting": _TAKES_OVER,
    "set_next_step": _STAFF_WRITERS,
    "set_next_step_status": _TAKES_OVER,
    "link_items": _STAFF_WRITERS,
    "set_family_view": _EVERYONE_WRITES,
    "open_scale_round": _LEADS,
    "rate": _EVERYONE_WRITES,
    "reveal_scale_round": _LEADS,
    "reopen_scale_round": _LEADS,
    # who is involved: the meeting is group supervision, where guests (rare there) may not
    # add to the family's list; in a family meeting they may (tests/services)
    "add_person": _STAFF_WRITERS,
    "edit_person": _STAFF_WRITERS,
    "remove_person": _STAFF_WRITERS,
    "set_item_people": _STAFF_WRITERS,
    "bring_pre_meeting_input": _LEADS,
}


def test_every_socket_event_is_in_the_matrix(app):
    assert set(socketio.server.handlers["/"]) == set(EVENTS)


def test_every_op_kind_is_in_the_matrix():
    assert set(OP_TYPES) == set(OPS)


def test_the_tables_name_only_known_actors():
    for allowed in [*EVENTS.values(), *OPS.values()]:
        assert allowed <= set(ACTORS)


# --- the world: the case's meeting and another team's case's meeting --------------------


@dataclass
class World:
    app: Flask
    meetings: dict[str, int]  # "case" / "home" (the outsider's team's case) -> meeting id
    leads: dict[str, int]  # meeting key -> its facilitator's user id
    teams: dict[str, int]
    people: dict[str, int] = field(default_factory=dict)  # actor -> user id

    def actor_of(self, key: str) -> Actor:
        """The facilitator's actor in a meeting, for preparing the board through the service."""
        meeting = db.session.get(Meeting, self.meetings[key])
        user = db.session.get(User, self.leads[key])
        participant = meetings.staff_participant(meeting, user)
        db.session.commit()
        return staff_actor(
            user,
            participant_id=participant.id,
            meeting_id=meeting.id,
            meeting_role=participant.role,
        )


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        team, home_team = make_team(), make_team()
        facilitator = make_user("supervisor", team)
        home_lead = make_user("supervisor", home_team)
        case = make_case(team, facilitator)
        home_case = make_case(home_team, home_lead, "A.B. (9)")
        made = World(
            app,
            meetings={
                "case": make_meeting(case, facilitator).id,
                "home": make_meeting(home_case, home_lead).id,
            },
            leads={"case": facilitator.id, "home": home_lead.id},
            teams={"case": team.id, "home": home_team.id},
        )
        made.people = {
            "facilitator": facilitator.id,
            "worker": make_user("worker", team).id,
            "display": make_user("worker", team).id,
            "supervisor": make_user("supervisor", team).id,
            "outsider": make_user("worker", home_team).id,
            "admin": make_user("admin").id,
        }
        made.people["outsider_home"] = made.people["outsider"]
        return made


def _invite_code(world: World, waiting_room: bool = False) -> str:
    with world.app.app_context():
        meeting = db.session.get(Meeting, world.meetings["case"])
        invite, _ = meetings.create_invite(
            world.actor_of("case"), meeting, waiting_room=waiting_room
        )
        return invite.code


def open_as(world: World, actor: str) -> tuple[SocketIOTestClient, str]:
    """Open the actor's socket; returns it with the key of the meeting it is on."""
    app = world.app
    client = app.test_client()
    where = "home" if actor == "outsider_home" else "case"
    if actor == "anonymous":
        return connect(app, client, world.meetings[where]), where
    if actor.startswith("guest"):
        join_by_code(client, _invite_code(world, actor == "guest_waiting"), name=actor)
    else:
        give_session(client, world.people[actor])
    socket = connect(app, client, world.meetings[where], display=actor == "display")
    if actor in ("guest_expired", "guest_removed"):
        assert socket.is_connected(), "the guest should have been let in first"
        with app.app_context():
            guest = db.session.scalar(select(Participant).filter_by(display_name=actor))
            if actor == "guest_expired":
                db.session.execute(
                    update(GuestInvite)
                    .where(GuestInvite.id == guest.invite_id)
                    .values(expires_at=guest.meeting.created_at)
                )
                db.session.commit()
                access_epoch.access_changed()
            else:
                raw = op(guest.meeting_id, "remove_participant", participant_id=guest.id)
                board.apply_operation(world.actor_of("case"), raw)
        # a fresh connect is refused too
        again = connect(app, client, world.meetings[where])
        assert not again.is_connected(), f"{actor} was let in again"
    return socket, where


# --- preparing what each op acts on -------------------------------------------------------


class Prep:
    """Makes, through the real pipeline as the meeting's facilitator, what an op needs."""

    def __init__(self, world: World, key: str) -> None:
        self.world, self.key = world, key
        self.meeting_id = world.meetings[key]

    def _apply(self, kind: str, **payload: Any) -> dict[str, Any]:
        raw = op(self.meeting_id, kind, **payload)
        sender = self.family_member() if kind in SENT_BY_FAMILY else self.world.actor_of(self.key)
        return board.apply_operation(sender, raw).event

    def family_member(self) -> Actor:
        """A guest of the family (a parent) in this meeting, to send what only they send: one
        already in it if there is one (a new one would join without a board event)."""
        found = db.session.scalar(
            select(Participant).where(
                Participant.meeting_id == self.meeting_id,
                Participant.role == "guest",
                Participant.removed_at.is_(None),
                Participant.admission == "admitted",
                Participant.view.is_(None),
            )
        )
        return guest_actor(found or db.session.get(Participant, self.guest()))

    def item(self, section: str = "harm") -> int:
        return self._apply("add_item", section=section, text="Prepared item", view="agency")[
            "item"
        ]["id"]

    def deleted(self) -> int:
        item = self.item()
        self._apply("delete_item", item_id=item)
        return item

    def version(self, item_id: int) -> int:
        return db.session.get(Item, item_id).version

    def merged(self) -> int:
        item, into = self.item(), self.item()
        self._apply("merge_items", item_id=item, into_id=into)
        return item

    def guest(self, waiting_room: bool = False) -> int:
        meeting = db.session.get(Meeting, self.meeting_id)
        lead = db.session.get(User, self.world.leads[self.key])
        invite, _ = meetings.create_invite(staff_actor(lead), meeting, waiting_room=waiting_room)
        return meetings.join_as_guest(invite, "Prepared guest").id

    def family_item(self) -> dict[str, Any]:
        """An item the family keeps to itself (as if added in private family time)."""
        item = db.session.get(Item, self.item())
        item.family_private = True
        db.session.commit()
        return {}

    def staff(self) -> int:
        team = self.world.teams[self.key]
        user = make_user("worker", db.session.get(Meeting, self.meeting_id).case.team)
        assert team in user.team_ids
        participant = meetings.staff_participant(db.session.get(Meeting, self.meeting_id), user)
        db.session.commit()
        return participant.id

    def open_round(self) -> int:
        found = db.session.scalar(
            select(ScaleRound.id).where(
                ScaleRound.meeting_id == self.meeting_id, ScaleRound.status == "open"
            )
        )
        return found or self._apply("open_scale_round")["scale_round"]["id"]

    def no_open_round(self) -> None:
        found = db.session.scalar(
            select(ScaleRound.id).where(
                ScaleRound.meeting_id == self.meeting_id, ScaleRound.status == "open"
            )
        )
        if found:
            self._apply("reveal_scale_round", round_id=found)

    def revealed_round(self) -> int:
        round_id = self.open_round()
        self._apply("reveal_scale_round", round_id=round_id)
        return round_id

    def person(self) -> int:
        added = self._apply("add_person", name="M.L.", relationship="mother", role="parent")
        return int(added["person"]["id"])

    def person_version(self, person_id: int) -> int:
        return db.session.get(InvolvedPerson, person_id).version

    def pre_meeting_input(self) -> int:
        """A young person's words, written before the meeting with their link."""
        meeting = db.session.get(Meeting, self.meeting_id)
        lead = db.session.get(User, self.world.leads[self.key])
        invite, _ = pre_meeting.create_invite(
            staff_actor(lead), meeting, "Jay", "young_person", None
        )
        return pre_meeting.add_input(invite, "worries", "Written before").id

    def agenda(self) -> list[dict[str, Any]]:
        return list(db.session.get(Meeting, self.meeting_id).agenda)


def _edit(p: Prep) -> dict[str, Any]:
    item = p.item()
    return {"item_id": item, "text": "Edited", "base_version": p.version(item)}


def _edit_person(p: Prep) -> dict[str, Any]:
    person = p.person()
    return {"person_id": person, "base_version": p.person_version(person), "age": 35}


def _hand_over(p: Prep, actor: str) -> dict[str, Any]:
    """The facilitator hands over to a colleague; anyone else tries to take over."""
    if actor == "facilitator":
        return {"participant_id": p.staff()}
    return {"participant_id": None}  # filled with the sender's own participant id


def _open_scale_round(p: Prep) -> dict[str, Any]:
    p.no_open_round()
    return {}


PAYLOADS: dict[str, Callable[[Prep], dict[str, Any]]] = {
    "add_item": lambda p: {"section": "harm", "text": "New item", "view": "agency"},
    "edit_item": _edit,
    "move_item": lambda p: {"item_id": p.item(), "section": "strengths", "after_id": None},
    "delete_item": lambda p: {"item_id": p.item()},
    "restore_item": lambda p: {"item_id": p.deleted()},
    "add_room_person": lambda p: {"name": "Rosa", "view": "child"},
    "set_agenda": lambda p: {"steps": p.agenda()},
    "go_to_step": lambda p: {"index": 1},
    "add_time": lambda p: {"minutes": 5},
    "set_role": lambda p: {"participant_id": p.guest(), "role": "guest"},
    "hand_over": lambda p: {},  # see _hand_over
    "set_write_policy": lambda p: {"policy": "scribes"},
    "set_question": lambda p: {"text": "What worries us most?"},
    "lock_section": lambda p: {"section": "harm", "locked": True},
    "spotlight": lambda p: {"item_id": p.item()},
    "collect_privately": lambda p: {"section": "grey", "on": True},
    "merge_items": lambda p: {"item_id": p.item(), "into_id": p.item()},
    "unmerge_item": lambda p: {"item_id": p.merged()},
    "set_signal": lambda p: {"signal": "hand", "on": True},
    "clear_signals": lambda p: {},
    "set_show_initials": lambda p: {"on": True},
    "present": lambda p: {"show": "section", "target": "harm"},
    "set_family_time": lambda p: {"on": True},
    "share_family_items": lambda p: p.family_item(),
    "record_consent": lambda p: {"by": "M.L., mother"},
    "remove_participant": lambda p: {"participant_id": p.guest()},
    "close_meeting": lambda p: {},
    "set_next_step": lambda p: {
        "item_id": p.item("next_steps"),
        "owner": "M.L.",
        "due_on": "2026-12-03",
    },
    "set_next_step_status": lambda p: {"item_id": p.item("next_steps"), "status": "agreed"},
    "link_items": lambda p: {"item_id": p.item("goals"), "link_id": p.item("danger")},
    "set_family_view": lambda p: {"item_id": p.item("harm"), "text": "In our words"},
    "open_scale_round": _open_scale_round,
    "rate": lambda p: {"round_id": p.open_round(), "value": 5, "reason": "Because"},
    "reveal_scale_round": lambda p: {"round_id": p.open_round()},
    "reopen_scale_round": lambda p: {"round_id": p.revealed_round()},
    "add_person": lambda p: {"name": "B.", "relationship": "son", "age": 6, "role": "child"},
    "edit_person": _edit_person,
    "remove_person": lambda p: {"person_id": p.person()},
    "set_item_people": lambda p: {"item_id": p.item("safety"), "person_ids": [p.person()]},
    "bring_pre_meeting_input": lambda p: {"input_id": p.pre_meeting_input(), "section": "grey"},
}

# Ops that only one of the family sends (the other tests send them as a guest, who gave no
# answer to who they are: a parent, so one of the family)
SENT_BY_FAMILY = {"share_family_items"}

# What an allowed op may change and the test puts back, so the next op starts alike.
_MEETING_STATE = (
    "status",
    "closed_at",
    "closed_by_id",
    "write_policy",
    "locked_sections",
    "private_sections",
    "spotlight_item_id",
    "family_time_started_at",
    "child_consent",
)


def _meeting_state(meeting_id: int) -> dict[str, Any]:
    meeting = db.session.get(Meeting, meeting_id)
    roles = db.session.execute(
        select(Participant.id, Participant.role).where(Participant.meeting_id == meeting_id)
    )
    return {
        "meeting": {name: getattr(meeting, name) for name in _MEETING_STATE},
        "roles": {row[0]: row[1] for row in roles},
    }


def _restore(meeting_id: int, state: dict[str, Any]) -> None:
    db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(**state["meeting"]))
    for participant_id, role in state["roles"].items():
        db.session.execute(
            update(Participant).where(Participant.id == participant_id).values(role=role)
        )
    db.session.commit()
    access_epoch.access_changed()  # drop the writer's cached identities


def fingerprint() -> str:
    """Every row of every table but presence (sockets come and go), the access epoch (a
    counter that a refusal which closes a socket raises, so caches re-read identities) and
    the audit trail (which may rightly record refusals)."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.name in ("presence", "access_epoch", "audit_entries"):
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{rows!r}".encode())
    db.session.rollback()
    return digest.hexdigest()


# --- the test -----------------------------------------------------------------------------


def _send(socket: SocketIOTestClient, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    if not socket.is_connected():
        return {"ok": False, "error": {"code": "not_connected"}}
    ack = socket.emit(event, payload, callback=True)
    assert isinstance(ack, dict), f"{event} answered {ack!r}"
    return ack


def _own_participant(world: World, socket_meeting: int, actor: str) -> int | None:
    if actor not in world.people:
        return None
    return db.session.scalar(
        select(Participant.id).where(
            Participant.meeting_id == socket_meeting,
            Participant.user_id == world.people[actor],
            Participant.role != "display",
        )
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_each_socket_event_and_op_answers_each_actor_as_the_matrix_says(world, actor):
    app = world.app
    app.config.update(SOCKET_RATE=1e6, SOCKET_BURST=10**6)  # limits have their own tests
    socket, where = open_as(world, actor)
    other = "case" if where == "home" else "home"
    unexpected: list[str] = []

    def check(what: str, target: str, allowed: bool, ack: dict[str, Any], before: str) -> None:
        ok = bool(ack.get("ok"))
        if ok != allowed:
            unexpected.append(f"{actor} {what} on {target}: {'allowed' if ok else ack}")
        with app.app_context():
            if not ok and fingerprint() != before:
                unexpected.append(f"{actor} {what} on {target}: refused but changed the database")
            code = ack.get("error", {}).get("code")
            if code == "server_error":
                unexpected.append(f"{actor} {what} on {target}: server error")

    connected = socket.is_connected()
    if actor not in LOST_ACCESS and connected != (actor in EVENTS["connect"]):
        unexpected.append(f"{actor} connect: {'let in' if connected else 'refused'}")

    for target in (where, other):
        mine = target == where
        with app.app_context():
            meeting_id = world.meetings[target]
            item = Prep(world, target).item()
            waiting = Prep(world, target).guest(waiting_room=True)
            before = fingerprint()
        allowed = mine and actor in EVENTS["sync"]
        ack = _send(socket, "sync", {"meeting_id": meeting_id, "since_rev": 0})
        check("sync", target, allowed, ack, before)
        allowed = mine and actor in EVENTS["editing"]
        ack = _send(socket, "editing", {"meeting_id": meeting_id, "item_id": item})
        check("editing", target, allowed, ack, before)
        allowed = mine and actor in EVENTS["admit_guest"]
        payload = {"meeting_id": meeting_id, "participant_id": waiting, "admit": True}
        ack = _send(socket, "admit_guest", payload)
        check("admit_guest", target, allowed, ack, before)

    for kind in OPS:
        for target in (other, where):  # the other case first: its refusal changes nothing
            mine = target == where
            with app.app_context():
                prep = Prep(world, target)
                meeting_id = prep.meeting_id
                state = _meeting_state(world.meetings[where])
                payload = PAYLOADS[kind](prep)
                if kind == "hand_over":
                    payload = _hand_over(prep, actor)
                    if payload["participant_id"] is None:
                        own = _own_participant(world, world.meetings[where], actor)
                        payload["participant_id"] = own or 1
                before = fingerprint()
            ack = _send(socket, "op", op(meeting_id, kind, **payload))
            check(f"op {kind}", target, mine and actor in OPS[kind], ack, before)
            with app.app_context():
                _restore(world.meetings[where], state)
            if not socket.is_connected() and actor in CONNECTED:
                unexpected.append(f"{actor} op {kind}: the socket was closed")
                socket, _ = open_as(world, actor)
    if socket.is_connected():
        socket.disconnect()
    SocketIOTestClient.clients.pop(socket.eio_sid, None)
    assert not unexpected, "\n".join(unexpected)
