"""An imported meeting keeps its times, revisions and history: export -> import -> export
gives the same times and event log, and replaying the imported board shows every card at
every revision it had. A file without events (version 2) still replays, as one event. A
second case with a label the team already has is created only when asked."""

from __future__ import annotations

import json

import pytest
from builders import fill_board, make_user, op, staff_in

from facilitator.exports import json_export
from facilitator.exports.json_import import UnreadableExport, parse
from facilitator.services import case_import, history
from facilitator.services.exports import meeting_source


@pytest.fixture
def exported(board):
    rater = staff_in(board.meeting, make_user("worker", board.team))
    fill_board(board.id, board.actor, rater)
    doomed = board.add("Written, then taken off the board", "harm")
    board.apply(op(board.id, "delete_item", item_id=doomed))
    board.apply(op(board.id, "close_meeting"))
    return board, json_export.render([meeting_source(board.meeting, with_events=True)])


def _replayed_texts(meeting, rev):
    return sorted(i["text"] for i in history.board_at(meeting, rev).items if not i.get("hidden"))


def test_import_then_export_keeps_the_times_and_the_history(exported):
    board, first = exported
    case = case_import.import_case(board.actor, board.team, parse(first.encode()), second_case=True)
    (meeting,) = case.meetings
    again = json.loads(json_export.render([meeting_source(meeting, with_events=True)]))
    before = json.loads(first)
    (old,), (new,) = before["meetings"], again["meetings"]
    assert (new["created_at"], new["closed_at"]) == (old["created_at"], old["closed_at"])
    assert new["rev"] == old["rev"] == board.meeting.rev > 20
    assert [(e["at"], e["data"]["type"], e["data"]["rev"]) for e in new["events"]] == [
        (e["at"], e["data"]["type"], e["data"]["rev"]) for e in old["events"]
    ]
    old_items = {i["id"]: i for i in old["items"]}
    assert sorted(i["updated_at"] for i in new["items"]) == sorted(
        i["updated_at"] for i in old_items.values()
    )
    assert [r["revealed_at"] for r in new["scale_rounds"]] == [
        r["revealed_at"] for r in old["scale_rounds"]
    ]


def test_replay_works_on_an_imported_meeting(exported):
    board, first = exported
    case = case_import.import_case(board.actor, board.team, parse(first.encode()), second_case=True)
    (meeting,) = case.meetings
    for rev in (1, 5, 12, meeting.rev):
        assert _replayed_texts(meeting, rev) == _replayed_texts(board.meeting, rev), rev
    end = history.board_at(meeting, meeting.rev)
    assert end.rev == meeting.rev and len(end.log) == meeting.rev
    assert end.times[1] == history.board_at(board.meeting, 1).times[1]
    # the card deleted before the export is in the history, and gone at the end
    deleted_at = next(e["rev"] for e in end.log if e["type"] == "item_deleted")
    assert "Written, then taken off the board" in _replayed_texts(meeting, deleted_at - 1)
    assert "Written, then taken off the board" not in _replayed_texts(meeting, meeting.rev)
    # ids now point at this instance's rows (a private card never revealed is not in the
    # file: its place in the history keeps a negative id that no row has)
    shown = {i["id"] for i in end.items if not i.get("hidden")}
    assert all(i["id"] < 0 for i in end.items if i.get("hidden"))
    assert shown <= {item.id for item in meeting_items(meeting)}


def meeting_items(meeting):
    from facilitator.services.carry_over import shown_items

    return shown_items(meeting.id)


def test_a_version_2_file_without_events_replays_as_one_event(exported):
    board, first = exported
    document = json.loads(first)
    document["version"] = 2
    for meeting in document["meetings"]:
        del meeting["events"], meeting["rev"]
    case = case_import.import_case(
        board.actor, board.team, parse(json.dumps(document).encode()), second_case=True
    )
    (meeting,) = case.meetings
    assert meeting.rev == 1
    assert (
        meeting.created_at.isoformat(timespec="seconds") + "Z"
        == document["meetings"][0]["created_at"]
    )
    board_then = history.board_at(meeting, 1)
    texts = [i["text"] for i in board_then.items]
    assert "Mother walks the children to school every day." in texts
    assert [e["type"] for e in board_then.log] == ["board_imported"]


def test_a_second_case_with_the_same_label_needs_confirming(exported):
    board, first = exported
    with pytest.raises(case_import.SameLabel):
        case_import.import_case(board.actor, board.team, parse(first.encode()))
    case = case_import.import_case(board.actor, board.team, parse(first.encode()), second_case=True)
    assert case.label == board.case.label and case.id != board.case.id


@pytest.mark.parametrize(
    "change",
    [
        lambda events: events[0]["data"].update(rev=7),  # revisions out of order
        lambda events: events[0].update(at="yesterday"),
        lambda events: events[0]["data"].update(item={"id": 1, "section": "nowhere"}),
        lambda events: events.append("not an event"),
        lambda events: events[0]["data"].update(person={"id": 3}),  # a person without a name
        lambda events: events[0]["data"].update(actor="Sam"),
    ],
)
def test_a_broken_event_log_is_refused(exported, change):
    _board, first = exported
    document = json.loads(first)
    change(document["meetings"][0]["events"])
    with pytest.raises(UnreadableExport):
        parse(json.dumps(document).encode())
