"""Room names: one room per meeting, and one for the staff who let its guests in."""


def meeting_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def guest_managers_room(meeting_id: int) -> str:
    """The board connections of staff who manage the meeting's guests (never a display):
    they alone hear who is in the waiting room."""
    return f"guests:{meeting_id}"
