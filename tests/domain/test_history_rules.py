"""Pure rules of the case history: replaying events, matching items, the trend chart."""

from __future__ import annotations

from facilitator.domain.compare import diff, match
from facilitator.domain.replay import replay
from facilitator.domain.trend import chart, y_of


def item(item_id, text, section="harm", position="a", **extra):
    return {"id": item_id, "text": text, "section": section, "position": position, **extra}


def test_replay_stops_at_the_revision_and_applies_deletes_and_merges():
    events = [
        {"rev": 1, "type": "item_added", "item": item(1, "one")},
        {"rev": 2, "type": "item_added", "item": item(2, "two", merged_into_id=None)},
        {"rev": 3, "type": "item_added", "item": item(3, "three", merged_into_id=2)},
        {"rev": 4, "type": "items_merged", "item": item(2, "two", merged_into_id=1)},
        {"rev": 5, "type": "item_deleted", "item_id": 1},
    ]
    assert [i["text"] for i in replay(events, 1)] == ["one"]
    at_four = {i["id"]: i for i in replay(events, 4)}
    assert at_four[3]["merged_into_id"] == 1  # what was folded into the duplicate follows it
    assert [i["id"] for i in replay(events, 5)] == [2, 3]


def test_items_match_by_carry_over_chain_before_text():
    before = [item(1, "Dad drinks"), item(2, "Mum works")]
    after = [item(11, "Dad drinks less"), item(12, "mum  WORKS")]
    assert match(before, after, {11: 1}) == {11: before[0], 12: before[1]}
    found = diff(before, after, {11: 1})
    assert [(o["text"], n["text"]) for o, n in found["harm"].changed] == [
        ("Dad drinks", "Dad drinks less"),
        ("Mum works", "mum  WORKS"),
    ]


def test_the_chart_keeps_every_rating_and_the_spread():
    drawn = chart([{"label": "one", "values": [2, 5, 5, 9]}])
    (column,) = drawn["columns"]
    assert len(column["dots"]) == 4
    assert len({(d["x"], d["y"]) for d in column["dots"]}) == 4  # equal ratings side by side
    assert column["bar"] == (y_of(9), y_of(2))
    assert column["spread"]["median"] == 5


def test_an_imported_event_is_renumbered_to_the_new_rows():
    from facilitator.domain.replay import renumbered

    ids = {"item": {5: 105, 6: 106}, "participant": {2: 202}, "person": {7: 307},
           "round": {1: 401}, "meeting": {9: 909}}  # fmt: skip
    event = {
        "rev": 3, "type": "items_merged", "meeting_id": 9, "actor": {"id": 2, "name": "S."},
        "item": {"id": 6, "merged_into_id": 5, "link_id": 4, "author": {"id": 3, "name": "R."},
                 "person_ids": [7, 8], "section": "harm", "text": "id 5"},
    }  # fmt: skip
    assert renumbered(event, ids) == {
        "rev": 3, "type": "items_merged", "meeting_id": 909, "actor": {"id": 202, "name": "S."},
        "item": {"id": 106, "merged_into_id": 105, "link_id": -4,
                 "author": {"id": None, "name": "R."}, "person_ids": [307],
                 "section": "harm", "text": "id 5"},
    }  # fmt: skip
    assert renumbered({"type": "item_deleted", "item_id": 5}, ids)["item_id"] == 105
    assert renumbered({"person": {"id": 7}}, ids) == {"person": {"id": 307}}
    assert renumbered({"round_id": 1, "rating": {"participant_id": 2}}, ids) == {
        "round_id": 401,
        "rating": {"participant_id": 202},
    }
