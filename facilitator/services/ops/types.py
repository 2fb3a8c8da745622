"""Every op type a client may send, one line each: its name, the parser of its payload
(domain, pure) and its handler (the service function that applies it and returns the
event's type and data). A new op type is a parser, a handler and one line here; its name
must then be in docs/protocol.md and in the socket matrix's tables (tests/realtime)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitator.domain import consent as consent_rules
from facilitator.domain import facilitation as facilitation_rules
from facilitator.domain import family_time as family_time_rules
from facilitator.domain import in_room as in_room_rules
from facilitator.domain import involved as involved_rules
from facilitator.domain import operations as item_rules
from facilitator.domain import pre_meeting as pre_meeting_rules
from facilitator.domain import presentation as presentation_rules
from facilitator.domain import scaling as scaling_rules
from facilitator.domain import statements as statement_rules
from facilitator.domain.actor import Actor
from facilitator.domain.frameworks import Framework
from facilitator.services import (
    facilitation,
    family_time,
    in_room,
    involved,
    items,
    pre_meeting,
    presentation,
    restore,
    scaling,
    statements,
)
from facilitator.services.ops.rows import MeetingRef

Parser = Callable[[dict[str, Any], Framework], Any]
Handler = Callable[[Actor, MeetingRef, Any], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class OpType:
    parse: Parser
    apply: Handler


OP_TYPES: dict[str, OpType] = {
    # items
    "add_item": OpType(item_rules.parse_add_item, items.add_item),
    "edit_item": OpType(item_rules.parse_edit_item, items.edit_item),
    "move_item": OpType(item_rules.parse_move_item, items.move_item),
    "delete_item": OpType(item_rules.parse_delete_item, items.delete_item),
    "restore_item": OpType(item_rules.parse_restore_item, restore.restore_item),
    # the room's scribe: someone in the room without a device
    "add_room_person": OpType(in_room_rules.parse_add_room_person, in_room.add_room_person),
    # facilitation: steps, roles, controls over the board, closing
    "set_agenda": OpType(facilitation_rules.parse_set_agenda, facilitation.set_agenda),
    "go_to_step": OpType(facilitation_rules.parse_go_to_step, facilitation.go_to_step),
    "add_time": OpType(facilitation_rules.parse_add_time, facilitation.add_time),
    "set_role": OpType(facilitation_rules.parse_set_role, facilitation.set_role),
    "hand_over": OpType(facilitation_rules.parse_hand_over, facilitation.hand_over),
    "set_write_policy": OpType(
        facilitation_rules.parse_set_write_policy, facilitation.set_write_policy
    ),
    "set_question": OpType(facilitation_rules.parse_set_question, facilitation.set_question),
    "lock_section": OpType(facilitation_rules.parse_lock_section, facilitation.lock_section),
    "spotlight": OpType(facilitation_rules.parse_spotlight, facilitation.spotlight),
    "collect_privately": OpType(
        facilitation_rules.parse_collect_privately, facilitation.collect_privately
    ),
    "merge_items": OpType(facilitation_rules.parse_merge_items, facilitation.merge_items),
    "unmerge_item": OpType(facilitation_rules.parse_unmerge_item, facilitation.unmerge_item),
    "set_signal": OpType(facilitation_rules.parse_set_signal, facilitation.set_signal),
    "clear_signals": OpType(facilitation_rules.parse_clear_signals, facilitation.clear_signals),
    "set_show_initials": OpType(
        facilitation_rules.parse_set_show_initials, facilitation.set_show_initials
    ),
    "remove_participant": OpType(
        facilitation_rules.parse_remove_participant, facilitation.remove_participant
    ),
    "close_meeting": OpType(facilitation_rules.parse_close_meeting, facilitation.close_meeting),
    # private family time, and the consent for showing a child's words
    "set_family_time": OpType(family_time_rules.parse_set_family_time, family_time.set_family_time),
    "share_family_items": OpType(
        family_time_rules.parse_share_family_items, family_time.share_family_items
    ),
    "record_consent": OpType(consent_rules.parse_record_consent, family_time.record_consent),
    # the room's screen: what every display shows (docs/protocol.md §13e)
    "present": OpType(presentation_rules.parse_present, presentation.present),
    # guided statements, next steps, links
    "set_next_step": OpType(statement_rules.parse_set_next_step, statements.set_next_step),
    "set_next_step_status": OpType(
        statement_rules.parse_set_next_step_status, statements.set_next_step_status
    ),
    "link_items": OpType(statement_rules.parse_link_items, statements.link_items),
    "set_family_view": OpType(statement_rules.parse_set_family_view, statements.set_family_view),
    # scale rounds
    "open_scale_round": OpType(scaling_rules.parse_open_scale_round, scaling.open_scale_round),
    "rate": OpType(scaling_rules.parse_rate, scaling.rate),
    "reveal_scale_round": OpType(
        scaling_rules.parse_reveal_scale_round, scaling.reveal_scale_round
    ),
    "reopen_scale_round": OpType(
        scaling_rules.parse_reopen_scale_round, scaling.reopen_scale_round
    ),
    # before the meeting: a young person's or parent's own words, brought onto the board
    "bring_pre_meeting_input": OpType(
        pre_meeting_rules.parse_bring_pre_meeting_input, pre_meeting.bring_pre_meeting_input
    ),
    # who is involved
    "add_person": OpType(involved_rules.parse_add_person, involved.add_person),
    "edit_person": OpType(involved_rules.parse_edit_person, involved.edit_person),
    "remove_person": OpType(involved_rules.parse_remove_person, involved.remove_person),
    "set_item_people": OpType(involved_rules.parse_set_item_people, involved.set_item_people),
}
