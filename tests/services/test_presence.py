"""Presence: one row per open socket, so the board can show who is here."""

from builders import count, make_guest, make_user, staff_in

from facilitator.identity import guest_actor, staff_actor
from facilitator.models import Participant, Presence
from facilitator.services import presence


def test_staff_becomes_a_member_of_the_meeting_on_first_connect(board):
    teammate = make_user("worker", board.team)
    participant = presence.connect("sid-1", "test", staff_actor(teammate), board.meeting, False)
    assert (participant.user_id, participant.role) == (teammate.id, "member")
    assert presence.online_ids(board.id) == {participant.id}


def test_reconnecting_staff_keeps_one_participant(board):
    presence.connect("sid-1", "test", staff_actor(board.user), board.meeting, False)
    presence.connect("sid-2", "test", staff_actor(board.user), board.meeting, False)
    assert count(Participant, meeting_id=board.id, user_id=board.user.id) == 1
    assert presence.sids_of(board.actor.participant_id) == ["sid-1", "sid-2"]


def test_guest_connects_as_their_own_participant(board):
    guest = make_guest(board.meeting, board.user)
    participant = presence.connect("sid-g", "test", guest_actor(guest), board.meeting, False)
    assert participant.id == guest.id


def test_display_connections_do_not_count_as_online(board):
    presence.connect("sid-d", "test", staff_actor(board.user), board.meeting, True)
    assert presence.online_ids(board.id) == set()


def test_disconnect_forgets_the_socket_and_names_its_meeting(board):
    presence.connect("sid-1", "test", staff_actor(board.user), board.meeting, False)
    assert presence.disconnect("sid-1") == board.id
    assert presence.online_ids(board.id) == set()
    assert presence.disconnect("sid-1") is None


def test_sids_of_user_finds_their_sockets_in_every_meeting(board):
    presence.connect("sid-1", "test", staff_actor(board.user), board.meeting, False)
    other = make_user("worker", board.team)
    staff_in(board.meeting, other)
    presence.connect("sid-2", "test", staff_actor(other), board.meeting, False)
    assert presence.sids_of_user(board.user.id) == ["sid-1"]


def test_clear_server_drops_only_that_servers_rows(board):
    presence.connect("sid-1", "old", staff_actor(board.user), board.meeting, False)
    presence.connect("sid-2", "other", staff_actor(board.user), board.meeting, False)
    presence.clear_server("old")
    assert [row for row in presence.sids_of(board.actor.participant_id)] == ["sid-2"]
    assert count(Presence) == 1
