"""Room names: one room per meeting."""


def meeting_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"
