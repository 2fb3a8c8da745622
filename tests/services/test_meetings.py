"""Meetings and guest invites: codes and links open one live meeting, until they expire."""

from datetime import timedelta

import pytest
from builders import count, make_guest, make_invite, make_meeting

from facilitator.domain.limits import DISPLAY_NAME_MAX, INVITE_HOURS
from facilitator.extensions import db
from facilitator.identity import guest_actor, staff_actor
from facilitator.models import GuestInvite, Meeting, Participant
from facilitator.models.types import utcnow
from facilitator.services import meetings


def test_start_meeting_makes_its_creator_the_facilitator(board):
    (participant,) = board.meeting.participants
    assert (participant.user_id, participant.role) == (board.user.id, "facilitator")
    assert (board.meeting.status, board.meeting.rev) == ("live", 0)


@pytest.mark.parametrize(("kind", "framework"), [("party", "cisf"), ("group_supervision", "tarot")])
def test_start_meeting_refuses_an_unknown_kind_or_framework(board, kind, framework):
    with pytest.raises(meetings.MeetingError):
        meetings.start_meeting(staff_actor(board.user), board.case, kind, framework)
    assert count(Meeting) == 1


def test_staff_participant_is_made_once_per_meeting(board):
    first = meetings.staff_participant(board.meeting, board.user)
    again = meetings.staff_participant(board.meeting, board.user)
    assert first.id == again.id == board.actor.participant_id


def test_invite_stores_only_the_hash_of_its_token(board):
    invite, token = make_invite(board.meeting, board.user)
    assert invite.token_hash == meetings.hash_token(token) != token


def test_invite_code_is_short_and_unambiguous(board):
    invite, _ = make_invite(board.meeting, board.user)
    assert len(invite.code) == meetings.CODE_LENGTH
    assert set(invite.code) <= set(meetings.CODE_ALPHABET)
    assert not set(invite.code) & set("01OIL")


def test_invite_expires_after_the_configured_hours(board):
    invite, _ = make_invite(board.meeting, board.user)
    assert invite.expires_at - invite.created_at == pytest.approx(
        timedelta(hours=INVITE_HOURS), abs=timedelta(seconds=5)
    )


def test_code_opens_its_meeting(board):
    invite, _ = make_invite(board.meeting, board.user)
    assert meetings.find_invite(code=invite.code) == invite


def test_code_is_forgiving_about_case_and_separators(board):
    invite, _ = make_invite(board.meeting, board.user)
    typed = f" {invite.code[:4].lower()}-{invite.code[4:].lower()} "
    assert meetings.find_invite(code=typed) == invite


def test_link_token_opens_its_meeting(board):
    invite, token = make_invite(board.meeting, board.user)
    assert meetings.find_invite(token=token) == invite


@pytest.mark.parametrize("lookup", [{"code": "ABCDEFGH"}, {"token": "not-a-token"}, {}])
def test_unknown_code_or_token_opens_nothing(board, lookup):
    make_invite(board.meeting, board.user)
    assert meetings.find_invite(**lookup) is None


def test_expired_invite_does_not_work(board):
    invite, token = make_invite(board.meeting, board.user)
    invite.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert meetings.find_invite(code=invite.code) is None
    assert meetings.find_invite(token=token) is None


def test_revoked_invite_does_not_work(board):
    invite, token = make_invite(board.meeting, board.user)
    invite.revoked_at = utcnow()
    db.session.commit()
    assert meetings.find_invite(code=invite.code) is None
    assert meetings.find_invite(token=token) is None


def test_invite_of_a_closed_meeting_does_not_work(board):
    invite, _ = make_invite(board.meeting, board.user)
    board.meeting.status = "closed"
    db.session.commit()
    assert meetings.find_invite(code=invite.code) is None


def test_closed_meeting_gets_no_new_invite(board):
    board.meeting.status = "closed"
    db.session.commit()
    with pytest.raises(meetings.MeetingError):
        make_invite(board.meeting, board.user)


def test_a_new_invite_withdraws_the_earlier_ones(board):
    older, _ = make_invite(board.meeting, board.user)
    newer, _ = make_invite(board.meeting, board.user)
    assert meetings.current_invite(board.meeting) == newer
    assert meetings.find_invite(code=older.code) is None
    newer.revoked_at = utcnow()
    db.session.commit()
    assert meetings.current_invite(board.meeting) is None


def test_guest_access_ends_when_their_invite_expires(board):
    from facilitator.identity import connection_actor
    from facilitator.services import presence

    guest = make_guest(board.meeting, board.user)
    presence.connect("sid-g", "test", guest_actor(guest), board.meeting, False, "k")
    assert connection_actor("sid-g").is_guest
    db.session.get(GuestInvite, guest.invite_id).expires_at = utcnow()
    db.session.commit()
    assert connection_actor("sid-g").kind == "anonymous"


def test_invite_opens_only_its_own_meeting(board):
    other = make_meeting(board.case, board.user, "consultation")
    invite, _ = make_invite(other, board.user)
    assert meetings.find_invite(code=invite.code).meeting_id == other.id != board.id


def test_guest_joins_with_a_display_name(board):
    invite, _ = make_invite(board.meeting, board.user)
    guest = meetings.join_as_guest(invite, "  Auntie   Rose ")
    assert (guest.display_name, guest.role, guest.user_id) == ("Auntie Rose", "guest", None)
    assert guest.is_guest and guest.meeting_id == board.id


def test_guest_name_is_required(board):
    invite, _ = make_invite(board.meeting, board.user)
    with pytest.raises(meetings.MeetingError):
        meetings.join_as_guest(invite, "   ")


def test_guest_name_at_the_limit_is_accepted_and_one_over_is_refused(board):
    invite, _ = make_invite(board.meeting, board.user)
    assert meetings.join_as_guest(invite, "x" * DISPLAY_NAME_MAX).id
    with pytest.raises(meetings.MeetingError):
        meetings.join_as_guest(invite, "x" * (DISPLAY_NAME_MAX + 1))
    assert count(Participant, role="guest") == 1
