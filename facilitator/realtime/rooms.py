"""Room names: one room per meeting, and one for the staff who let its guests in; and the
Socket.IO manager that keeps them."""

from __future__ import annotations

from typing import Any

import socketio


def meeting_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def guest_managers_room(meeting_id: int) -> str:
    """The board connections of staff who manage the meeting's guests (never a display):
    they alone hear who is in the waiting room."""
    return f"guests:{meeting_id}"


class RoomIndex:
    """Each socket's rooms, kept beside python-socketio's own table (a mixin for its
    managers). Its manager finds a closing socket's rooms by copying and scanning every
    room of the namespace, and every socket has a room of its own: a disconnect cost time
    in proportion to everyone connected, and a stop that closes 3,000 sockets, in
    proportion to its square (docs/performance.md). Here it is the socket's own few."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rooms_of: dict[tuple[str, str], set[str | None]] = {}

    def basic_enter_room(
        self, sid: str, namespace: str, room: str | None, eio_sid: Any = None
    ) -> None:
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)  # type: ignore[misc]
        self._rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid: str, namespace: str, room: str | None) -> None:
        super().basic_leave_room(sid, namespace, room)  # type: ignore[misc]
        rooms = self._rooms_of.get((namespace, sid))
        if rooms is not None:
            rooms.discard(room)
            if not rooms:
                del self._rooms_of[(namespace, sid)]

    def basic_disconnect(self, sid: str, namespace: str, **_kwargs: Any) -> None:
        """Leave the socket's rooms, then drop what the manager still holds for it (its
        answer callbacks, a connect or disconnect under way)."""
        for room in list(self._rooms_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        manager: Any = self
        manager.callbacks.pop(sid, None)
        for pending in (manager.pending_connect, manager.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]

    def get_rooms(self, sid: str, namespace: str) -> list[str]:
        return [room for room in self._rooms_of.get((namespace, sid), ()) if room is not None]


class IndexedManager(RoomIndex, socketio.Manager):  # type: ignore[misc]
    """One process: python-socketio's manager, with each socket's rooms indexed."""


class IndexedRedisManager(RoomIndex, socketio.RedisManager):  # type: ignore[misc]
    """Several workers sharing Redis: the same, for the rooms this worker holds."""


def client_manager(message_queue: str | None, channel: str) -> Any:
    """The Socket.IO manager for these settings (None: let Flask-SocketIO pick, for a queue
    other than Redis)."""
    if not message_queue:
        return IndexedManager()
    if message_queue.startswith(("redis://", "rediss://")):
        return IndexedRedisManager(message_queue, channel=channel)
    return None
