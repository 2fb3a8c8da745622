"""Presence: one row per open socket, so the board can show who is here."""

from datetime import timedelta

import pytest
from builders import count, make_case, make_guest, make_meeting, make_user, op, staff_in
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.identity import (
    ConnectionCache,
    cached_connection_actors,
    guest_actor,
    remember_connection,
    staff_actor,
)
from facilitator.models import Participant, Presence, ServerBeat
from facilitator.models.types import utcnow
from facilitator.services import accounts, presence
from facilitator.services import board as board_service


def connect(board, sid, actor, *, read_only=False, server="test", key="browser-1"):
    """The participant the socket was recorded for (None: refused)."""
    participant_id = presence.connect(sid, server, actor, board.meeting, read_only, key)
    return None if participant_id is None else db.session.get(Participant, participant_id)


def test_staff_becomes_a_member_of_the_meeting_on_first_connect(board):
    teammate = make_user("worker", board.team)
    participant = connect(board, "sid-1", staff_actor(teammate))
    assert (participant.user_id, participant.role) == (teammate.id, "member")
    assert presence.online_ids(board.id) == {participant.id}


def test_reconnecting_staff_keeps_one_participant(board):
    connect(board, "sid-1", staff_actor(board.user))
    connect(board, "sid-2", staff_actor(board.user))
    assert count(Participant, meeting_id=board.id, user_id=board.user.id) == 1
    assert presence.sids_of(board.actor.participant_id) == ["sid-1", "sid-2"]


def test_guest_connects_as_their_own_participant(board):
    guest = make_guest(board.meeting, board.user)
    participant = connect(board, "sid-g", guest_actor(guest))
    assert participant.id == guest.id


def test_removed_participant_cannot_connect_again(board):
    guest = make_guest(board.meeting, board.user)
    actor = guest_actor(guest)
    guest.removed_at = utcnow()
    db.session.commit()
    assert connect(board, "sid-g", actor) is None
    assert count(Presence) == 0


def test_removed_staff_cannot_connect_again(board):
    teammate = make_user("worker", board.team)
    connect(board, "sid-1", staff_actor(teammate)).removed_at = utcnow()
    db.session.commit()
    assert connect(board, "sid-2", staff_actor(teammate)) is None
    assert presence.sids_of_session("browser-1") == ["sid-1"]


def test_a_guest_connects_only_to_their_own_meeting(board):
    other = make_meeting(make_case(board.team, board.user, "T.R. (9)"), board.user)
    guest = make_guest(other, board.user)
    assert connect(board, "sid-g", guest_actor(guest)) is None
    assert count(Presence) == 0


def test_a_guests_socket_is_committed_with_its_fields(board):
    guest = make_guest(board.meeting, board.user)
    ids = (board.id, guest.id)
    assert connect(board, "sid-g", guest_actor(guest)).id == guest.id
    db.session.remove()  # a new session reads what was committed
    row = db.session.get(Presence, "sid-g")
    assert (row.meeting_id, row.participant_id) == ids
    assert (row.server_id, row.read_only, row.session_key) == ("test", False, "browser-1")
    assert row.auth_session_id is None and row.connected_at is not None


def test_display_connections_do_not_count_as_online(board):
    connect(board, "sid-d", staff_actor(board.user), read_only=True)
    assert presence.online_ids(board.id) == set()


def test_a_projector_is_its_own_display_participant(board):
    display = connect(board, "sid-d", staff_actor(board.user), read_only=True)
    member = connect(board, "sid-1", staff_actor(board.user))
    assert display.role == "display"
    assert member.id == board.actor.participant_id != display.id


def test_disconnect_forgets_the_socket_and_names_its_meeting(board):
    connect(board, "sid-1", staff_actor(board.user))
    assert presence.disconnect("sid-1") == board.id
    assert presence.online_ids(board.id) == set()
    assert presence.disconnect("sid-1") is None


def test_sids_of_session_finds_only_that_browsers_sockets(board):
    connect(board, "sid-1", staff_actor(board.user), key="laptop")
    connect(board, "sid-2", staff_actor(board.user), key="phone")
    assert presence.sids_of_session("laptop") == ["sid-1"]
    assert presence.sids_of_session("") == []


def test_sids_without_access_names_sockets_of_meetings_no_longer_visible(board):
    other = make_user("worker", board.team)
    staff_in(board.meeting, other)
    connect(board, "sid-2", staff_actor(other))
    assert presence.sids_without_access(other.id) == []
    accounts.remove_member(board.team, other)
    assert presence.sids_without_access(other.id) == ["sid-2"]


def test_clear_server_drops_only_that_servers_rows(board):
    connect(board, "sid-1", staff_actor(board.user), server="old")
    connect(board, "sid-2", staff_actor(board.user), server="other")
    assert presence.clear_server("old") == [board.meeting.id]
    assert presence.sids_of(board.actor.participant_id) == ["sid-2"]
    assert presence.clear_server("old") == []
    assert count(Presence) == 1


def test_a_removal_makes_a_cached_socket_identity_stale_in_its_own_transaction(board):
    """Another worker's writer may hold the guest's socket in its cache: the removal's own
    commit (not the later close of the socket) must make that worker re-read it."""
    guest = make_guest(board.meeting, board.user)
    connect(board, "sid-g", guest_actor(guest), server="worker-2")
    cache = ConnectionCache()  # worker 2's writer
    assert cached_connection_actors(["sid-g"], cache)["sid-g"].kind == "guest"
    removal = op(board.id, "remove_participant", participant_id=guest.id)
    board_service.apply_operation(board.actor, removal)  # on worker 1: nothing published yet
    assert cached_connection_actors(["sid-g"], cache)["sid-g"].kind == "anonymous"


def test_an_identity_read_as_the_socket_opens_is_kept_only_under_the_caches_epoch(board):
    guest = make_guest(board.meeting, board.user)
    connect(board, "sid-g", guest_actor(guest))
    cache = ConnectionCache()
    remember_connection("sid-g", cache)  # the cache's first epoch is the one read with it
    assert cache.held("sid-g").kind == "guest"
    behind = ConnectionCache(epoch=-1)  # a cache still at an epoch from before a change
    remember_connection("sid-g", behind)
    assert behind.held("sid-g") is None
    remember_connection("sid-gone", cache)  # a socket with no presence row: nothing kept
    assert cache.held("sid-gone") is None


def age_beat(server_id, seconds):
    """As if the worker last beat this long ago."""
    beat = db.session.get(ServerBeat, server_id)
    beat.seen_at = utcnow() - timedelta(seconds=seconds)
    db.session.commit()


def test_a_worker_silent_too_long_loses_its_presence_rows_and_its_beat(board):
    guest = make_guest(board.meeting, board.user)
    connect(board, "sid-dead", guest_actor(guest), server="worker-1")
    connect(board, "sid-alive", staff_actor(board.user), server="worker-2")
    for server in ("worker-1", "worker-2"):
        presence.beat(server)
    age_beat("worker-1", 61)
    age_beat("worker-2", 5)
    assert presence.sweep_silent_servers(timedelta(seconds=60)) == [board.id]
    assert list(db.session.scalars(select(Presence.sid))) == ["sid-alive"]
    assert presence.online_ids(board.id) == {board.actor.participant_id}
    assert db.session.get(ServerBeat, "worker-1") is None
    assert presence.sweep_silent_servers(timedelta(seconds=60)) == []


def test_a_worker_knows_when_it_was_taken_for_dead(board):
    assert presence.beat("worker-1") is False  # its first beat
    assert presence.beat("worker-1") is True
    age_beat("worker-1", 61)
    presence.sweep_silent_servers(timedelta(seconds=60))
    assert presence.beat("worker-1") is False  # its sockets must reconnect


def test_rows_of_a_worker_that_never_beat_are_left_alone(board):
    connect(board, "sid-1", staff_actor(board.user), server="older-worker")
    assert presence.sweep_silent_servers(timedelta(seconds=0)) == []
    assert count(Presence) == 1


def _flushes_every_commit() -> bool:
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        return connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    return connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


@pytest.mark.durable_commits
def test_presence_commits_leave_the_next_commit_flushed_to_disk(board):
    """A socket's coming and going is committed without waiting for the disk; the
    connection's next commit (an operation's) waits for it again."""
    connect(board, "sid-1", staff_actor(board.user))
    assert _flushes_every_commit()
    db.session.rollback()
    assert presence.disconnect("sid-1") == board.id
    assert _flushes_every_commit()


@pytest.mark.durable_commits
def test_a_failed_presence_commit_also_leaves_commits_flushed(board):
    connect(board, "sid-1", staff_actor(board.user))
    db.session.rollback()
    with pytest.raises(IntegrityError):
        connect(board, "sid-1", staff_actor(board.user))  # the same socket id twice
    db.session.rollback()
    assert _flushes_every_commit()
    assert presence.sids_of(board.actor.participant_id) == ["sid-1"]
