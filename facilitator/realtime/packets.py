"""Socket.IO packets as the server reads them off the wire.

python-socketio raises on a frame that is not a well-formed packet (bad JSON, a number
where the payload goes, an event without a name, a binary packet), and Engine.IO logs each
such frame as an error with a traceback: any client could fill the log. Here a frame this
app cannot have sent is read as an event no handler has, which changes nothing and answers
nothing. Every frame the browser's client sends reads exactly as before, its strings
cleaned of control and bidi characters (fields.without_unsafe). (The app never sends or
accepts binary payloads.)
"""

from __future__ import annotations

from typing import Any

from socketio import packet

from facilitator.domain.fields import without_unsafe

IGNORED = "(not a packet)"  # the name of the event a malformed frame becomes: no handler


def cleaned(data: Any) -> Any:
    """Every string of a payload, keys too, as fields.without_unsafe leaves it: one cleaning
    at the edge for whatever a handler stores or queries."""
    if isinstance(data, str):
        return without_unsafe(data)
    if isinstance(data, list):
        return [cleaned(value) for value in data]
    if isinstance(data, dict):
        return {cleaned(key): cleaned(value) for key, value in data.items()}
    return data


class TolerantPacket(packet.Packet):  # type: ignore[misc]
    def __init__(
        self,
        packet_type: int = packet.EVENT,
        data: Any = None,
        namespace: str | None = None,
        id: int | None = None,  # the library's name
        binary: bool | None = None,
        encoded_packet: Any = None,
    ) -> None:
        if encoded_packet is None:  # a packet the server builds to send
            super().__init__(packet_type, data, namespace, id, binary)
            return
        super().__init__()
        self.attachment_count = self.decode(encoded_packet)

    def decode(self, encoded_packet: Any) -> int:
        if not isinstance(encoded_packet, str) or not encoded_packet:
            return self._ignored()
        try:
            attachments = int(super().decode(encoded_packet) or 0)
        except (ValueError, TypeError, RecursionError):  # json's errors are ValueErrors
            return self._ignored()
        if attachments or self.packet_type not in (
            packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK
        ):  # fmt: skip
            return self._ignored()
        if self.packet_type == packet.EVENT and not (
            isinstance(self.data, list) and self.data and isinstance(self.data[0], str)
        ):
            return self._ignored()
        if self.packet_type == packet.ACK and not isinstance(self.data, list):
            return self._ignored()
        try:
            self.data = cleaned(self.data)
        except RecursionError:
            return self._ignored()
        return 0

    def _ignored(self) -> int:
        self.packet_type, self.namespace, self.id, self.data = packet.EVENT, None, None, [IGNORED]
        return 0
